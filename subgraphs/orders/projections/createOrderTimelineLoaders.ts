import DataLoader from 'dataloader';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import type { CancellationReason, SalesChannel } from '../events/OrderEvent.js';
import type { OrderLifecycleState } from './orderTimelineProjection.js';

/** An order as the subgraphs read it from the projection (shared by every subgraph version). */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  salesChannel: SalesChannel;
  currency: string;
  customerEmail: string;
  shippingCity: string;
  shippingCountry: string;
  lifecycleState: OrderLifecycleState;
  placedAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: CancellationReason | null;
  orderTotalAmount: string;
  lastEventOccurredAt: Date;
}

export interface OrderLineRecord {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  lineAmount: string;
  currency: string;
}

export interface StatusChangeRecord {
  orderId: string;
  sequence: number;
  lifecycleState: OrderLifecycleState;
  occurredAt: Date;
  cancellationReason: CancellationReason | null;
}

/**
 * The queries the order timeline projection serves. Loaders batch by key (one statement per
 * table per request tick, whatever the number of rows): create them per request, never share.
 */
export interface OrderTimelineLoaders {
  orderById: DataLoader<string, OrderRecord | null>;
  linesByOrderId: DataLoader<string, OrderLineRecord[]>;
  statusHistoryByOrderId: DataLoader<string, StatusChangeRecord[]>;
  /** Newest first; `after` is the `orderId` of the last order of the previous page. */
  listOrders(first: number, after?: string | null): Promise<OrderRecord[]>;
}

const toOrder = (r: Record<string, unknown>): OrderRecord => ({
  orderId: String(r.order_id),
  customerId: String(r.customer_id),
  salesChannel: r.sales_channel as SalesChannel,
  currency: String(r.currency),
  customerEmail: String(r.customer_email),
  shippingCity: String(r.shipping_city),
  shippingCountry: String(r.shipping_country),
  lifecycleState: r.order_lifecycle_state as OrderLifecycleState,
  placedAt: r.placed_at as Date,
  confirmedAt: (r.confirmed_at as Date | null) ?? null,
  cancelledAt: (r.cancelled_at as Date | null) ?? null,
  cancellationReason: (r.cancellation_reason as CancellationReason | null) ?? null,
  orderTotalAmount: String(r.order_total_amount),
  lastEventOccurredAt: r.last_event_occurred_at as Date,
});

function groupBy<T extends { orderId: string }>(keys: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function createOrderTimelineLoaders(db: Queryable, schema: string): OrderTimelineLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const orderById = new DataLoader<string, OrderRecord | null>(async (ids) => {
    const { rows } = await db.query(`select * from ${t('orders')} where order_id = any($1::text[])`, [ids]);
    const byId = new Map(rows.map((r) => [String(r.order_id), toOrder(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    orderById,
    linesByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query(`select l.*, o.currency from ${t('order_lines')} l join ${t('orders')} o using (order_id) where l.order_id = any($1::text[]) order by l.order_id, l.line_id`, [ids]);
      return groupBy(ids, rows.map((r) => ({ orderId: String(r.order_id), lineId: String(r.line_id), sku: String(r.sku), quantity: Number(r.quantity), unitPrice: String(r.unit_price), lineAmount: String(r.line_amount), currency: String(r.currency) })));
    }),
    statusHistoryByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query(`select * from ${t('order_status_history')} where order_id = any($1::text[]) order by order_id, sequence`, [ids]);
      return groupBy(ids, rows.map((r) => ({ orderId: String(r.order_id), sequence: Number(r.sequence), lifecycleState: r.order_lifecycle_state as OrderLifecycleState, occurredAt: r.occurred_at as Date, cancellationReason: (r.cancellation_reason as CancellationReason | null) ?? null })));
    }),
    async listOrders(first, after) {
      const { rows } = await db.query(
        `select o.* from ${t('orders')} o
         where $2::text is null or (o.placed_at, o.order_id) < (select placed_at, order_id from ${t('orders')} where order_id = $2)
         order by o.placed_at desc, o.order_id desc limit $1`,
        [first, after ?? null],
      );
      const orders = rows.map(toOrder);
      for (const order of orders) orderById.prime(order.orderId, order);
      return orders;
    },
  };
}
