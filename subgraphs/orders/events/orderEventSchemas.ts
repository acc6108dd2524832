import { z } from 'zod';
import { countrySchema, currencySchema, moneySchema } from '../../../platform/events/index.js';

/** `data` shapes per event type and schemaVersion. A version not listed here is quarantined. */
export const orderEventDataSchemas = {
  OrderPlaced: {
    1: z.object({
      customerId: z.string().min(1),
      channel: z.enum(['web', 'store', 'marketplace']),
      currency: currencySchema,
      lines: z
        .array(z.object({ lineId: z.string().min(1), sku: z.string().min(1), quantity: z.number().int().min(1), unitPrice: moneySchema }))
        .min(1, 'an order has at least one line')
        .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'lineIds must be unique'),
      customerEmail: z.string().min(3),
      shippingAddress: z.object({ line1: z.string().min(1), city: z.string().min(1), postalCode: z.string().min(1), country: countrySchema }),
    }),
  },
  OrderLineAmended: {
    1: z.object({ lineId: z.string().min(1), quantity: z.number().int().min(0), unitPrice: moneySchema }),
  },
  OrderConfirmed: {
    1: z.object({}).strict(),
  },
  OrderCancelled: {
    1: z.object({ reason: z.enum(['customer_request', 'fraud', 'out_of_stock', 'payment_failed']) }),
  },
} as const;
