import type { BoundedContext } from '../../platform/projection/index.js';
import { shipmentEventsDecoder } from './events/decodeShipmentRecord.js';
import type { FulfillmentEvent } from './events/FulfillmentEvent.js';
import { FULFILLMENT_EVENTS_TOPIC } from './events/FulfillmentEvent.js';
import { shipmentTrackingProjection } from './projections/shipmentTrackingProjection.js';
import { LEGACY_OMS_CDC_TOPIC, legacyOmsReleaseTranslator } from './translators/legacyOmsReleaseTranslator.js';

// Legacy OMS columns that are codes, ids, money and time; never CUST_ID, EMAIL or SHIP_*.
const LEGACY_SAFE_COLUMNS = ['ORDER_ID', 'STATUS_CD', 'CHANNEL_CD', 'CURRENCY', 'TOTAL_AMT', 'CANCEL_RSN', 'UPD_TS', 'LINE_NO', 'SKU', 'QTY', 'UNIT_PRICE'];

/** The fulfillment bounded context: the warehouses' shipment events, the legacy releases it translates, one projection. */
export const fulfillmentContext: BoundedContext<FulfillmentEvent> = {
  name: 'fulfillment',
  decoders: [shipmentEventsDecoder, legacyOmsReleaseTranslator],
  projections: [shipmentTrackingProjection],
  // What triage needs (envelope, ids, codes, quantities, times) and nothing personal: shipTo and
  // signedBy stay hidden unless an operator asks for the original.
  quarantineDisplay: {
    [FULFILLMENT_EVENTS_TOPIC]: [
      'eventId', 'type', 'schemaVersion', 'aggregateId', 'sequence', 'occurredAt', 'producedAt', 'correlationId', 'causationId', 'source',
      'data.orderId', 'data.warehouseId', 'data.wave', 'data.lines[].lineId', 'data.lines[].sku', 'data.lines[].quantity',
      'data.carrier', 'data.trackingNumber', 'data.reason',
    ],
    [LEGACY_OMS_CDC_TOPIC]: ['op', 'ts_ms', 'source.*', ...LEGACY_SAFE_COLUMNS.flatMap((column) => [`before.${column}`, `after.${column}`])],
  },
};

