import type { BoundedContext } from '../../platform/projection/index.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../fulfillment/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC } from '../orders/index.js';
import { PAYMENTS_EVENTS_TOPIC } from '../payments/index.js';
import { reconciliationDecoders } from './events/reconciliationDecoders.js';
import type { ReconciliationEvent } from './events/ReconciliationEvent.js';
import { orderAgreementProjection } from './projections/orderAgreementProjection.js';

const ENVELOPE = ['eventId', 'type', 'schemaVersion', 'aggregateId', 'sequence', 'occurredAt', 'producedAt', 'correlationId', 'causationId', 'source'];
// Legacy OMS columns that are codes, ids, money and time; never CUST_ID, EMAIL or SHIP_*.
const LEGACY_SAFE_COLUMNS = ['ORDER_ID', 'STATUS_CD', 'CHANNEL_CD', 'CURRENCY', 'TOTAL_AMT', 'CANCEL_RSN', 'UPD_TS', 'LINE_NO', 'SKU', 'QTY', 'UNIT_PRICE'];

/**
 * The reconciliation bounded context as the projector runs it: the four order-to-cash topics,
 * each decoded by its owner's decoder, into one projection keyed by order. Its own consumer
 * groups (`dpg.reconciliation.order_agreement`): it reads the topics, never the other contexts' tables.
 */
export const reconciliationContext: BoundedContext<ReconciliationEvent> = {
  name: 'reconciliation',
  decoders: reconciliationDecoders,
  projections: [orderAgreementProjection],
  // Ids, codes, quantities, amounts and times, as the owning contexts show them; nothing personal.
  quarantineDisplay: {
    [ORDERS_EVENTS_TOPIC]: [...ENVELOPE, 'data.channel', 'data.currency', 'data.lines[].lineId', 'data.lines[].sku', 'data.lines[].quantity', 'data.lines[].unitPrice', 'data.lineId', 'data.quantity', 'data.unitPrice', 'data.reason'],
    [LEGACY_OMS_CDC_TOPIC]: ['op', 'ts_ms', 'source.*', ...LEGACY_SAFE_COLUMNS.flatMap((column) => [`before.${column}`, `after.${column}`])],
    [PAYMENTS_EVENTS_TOPIC]: [...ENVELOPE, 'data.orderId', 'data.amount', 'data.currency', 'data.method', 'data.authorizationExpiresAt', 'data.outcome', 'data.score', 'data.captureId', 'data.refundId', 'data.reason', 'data.failureCode'],
    [FULFILLMENT_EVENTS_TOPIC]: [...ENVELOPE, 'data.orderId', 'data.warehouseId', 'data.wave', 'data.lines[].lineId', 'data.lines[].sku', 'data.lines[].quantity', 'data.carrier', 'data.trackingNumber', 'data.reason'],
  },
};
