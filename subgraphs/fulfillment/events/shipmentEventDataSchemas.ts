import { z } from 'zod';
import { countrySchema, int4Schema } from '../../../platform/events/index.js';
import { CARRIERS, SHIPMENT_CANCELLATION_REASONS } from './FulfillmentEvent.js';

/** `data` shapes per event type and schemaVersion of `fulfillment.events.v1`. A version not listed here is quarantined. */
export const shipmentEventDataSchemas = {
  ShipmentCreated: {
    1: z.object({
      orderId: z.string().min(1),
      warehouseId: z.string().min(1),
      wave: z.string().min(1),
      lines: z
        .array(z.object({ lineId: z.string().min(1), sku: z.string().min(1), quantity: int4Schema(1) }))
        .min(1, 'a shipment covers at least one line')
        .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'lineIds must be unique within a shipment'),
      shipTo: z.object({ name: z.string().min(1), line1: z.string().min(1), city: z.string().min(1), postalCode: z.string().min(1), country: countrySchema }),
    }),
  },
  ShipmentPicked: {
    1: z.object({}).strict(),
  },
  ShipmentDispatched: {
    1: z.object({ carrier: z.enum(CARRIERS), trackingNumber: z.string().min(1) }),
  },
  ShipmentDelivered: {
    1: z.object({ signedBy: z.string().min(1).nullable() }),
  },
  ShipmentCancelled: {
    1: z.object({ reason: z.enum(SHIPMENT_CANCELLATION_REASONS) }),
  },
} as const;

/** Payload paths that hold personal data: a reason names the path and the rule, never the value. */
export const isPersonalPath = (path: readonly PropertyKey[]): boolean => path.includes('shipTo') || path.includes('signedBy');
