import type { BoundedContext } from '../../platform/projection/index.js';
import { orderEventsDecoder } from './events/decodeOrderEvent.js';
import type { OrderEvent } from './events/OrderEvent.js';
import { ORDERS_EVENTS_TOPIC } from './events/OrderEvent.js';
import { orderTimelineProjection } from './projections/orderTimelineProjection.js';
import { LEGACY_OMS_CDC_TOPIC, legacyOmsCdcTranslator } from './translators/legacyOmsCdcTranslator.js';

// Legacy OMS columns that are codes, ids, money and time; never CUST_ID, EMAIL or SHIP_*.
const LEGACY_SAFE_COLUMNS = ['ORDER_ID', 'STATUS_CD', 'CHANNEL_CD', 'CURRENCY', 'TOTAL_AMT', 'CANCEL_RSN', 'UPD_TS', 'LINE_NO', 'SKU', 'QTY', 'UNIT_PRICE'];

/** The orders bounded context: its topics (own events and the legacy CDC it translates) and its projections. */
export const ordersContext: BoundedContext<OrderEvent> = {
  name: 'orders',
  decoders: [orderEventsDecoder, legacyOmsCdcTranslator],
  projections: [orderTimelineProjection],
  // What triage needs (envelope, codes, lines, amounts) and nothing personal: customerId,
  // customerEmail and shippingAddress stay hidden unless an operator asks for the original.
  quarantineDisplay: {
    [ORDERS_EVENTS_TOPIC]: [
      'eventId', 'type', 'schemaVersion', 'aggregateId', 'sequence', 'occurredAt', 'producedAt', 'correlationId', 'causationId', 'source',
      'data.channel', 'data.currency', 'data.lines[].lineId', 'data.lines[].sku', 'data.lines[].quantity', 'data.lines[].unitPrice',
      'data.lineId', 'data.quantity', 'data.unitPrice', 'data.reason',
    ],
    [LEGACY_OMS_CDC_TOPIC]: ['op', 'ts_ms', 'source.*', ...LEGACY_SAFE_COLUMNS.flatMap((column) => [`before.${column}`, `after.${column}`])],
  },
};
