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

// Columns are aliased to the record's field names so pg's row object is the record itself:
// no second object per row (allocation, not SQL, dominates a large page).
const ORDER_COLUMNS = `order_id as "orderId", customer_id as "customerId", sales_channel as "salesChannel", currency,
  customer_email as "customerEmail", shipping_city as "shippingCity", shipping_country as "shippingCountry",
  order_lifecycle_state as "lifecycleState", placed_at as "placedAt", confirmed_at as "confirmedAt", cancelled_at as "cancelledAt",
  cancellation_reason as "cancellationReason", order_total_amount as "orderTotalAmount", last_event_occurred_at as "lastEventOccurredAt"`;

function groupBy<T extends { orderId: string }>(keys: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function createOrderTimelineLoaders(db: Queryable, schema: string): OrderTimelineLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const orderById = new DataLoader<string, OrderRecord | null>(async (ids) => {
    const { rows } = await db.query<OrderRecord & Record<string, unknown>>(`select ${ORDER_COLUMNS} from ${t('orders')} where order_id = any($1::text[])`, [ids]);
    const byId = new Map<string, OrderRecord>(rows.map((r) => [r.orderId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    orderById,
    linesByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query<OrderLineRecord & Record<string, unknown>>(
        `select l.order_id as "orderId", l.line_id as "lineId", l.sku, l.quantity, l.unit_price as "unitPrice", l.line_amount as "lineAmount", o.currency
         from ${t('order_lines')} l join ${t('orders')} o using (order_id) where l.order_id = any($1::text[]) order by l.order_id, l.line_id`,
        [ids],
      );
      return groupBy(ids, rows);
    }),
    statusHistoryByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query<StatusChangeRecord & Record<string, unknown>>(
        `select order_id as "orderId", sequence, order_lifecycle_state as "lifecycleState", occurred_at as "occurredAt", cancellation_reason as "cancellationReason"
         from ${t('order_status_history')} where order_id = any($1::text[]) order by order_id, sequence`,
        [ids],
      );
      return groupBy(ids, rows);
    }),
    async listOrders(first, after) {
      const { rows } = await db.query<OrderRecord & Record<string, unknown>>(
        `select ${ORDER_COLUMNS} from ${t('orders')} o
         where $2::text is null or (o.placed_at, o.order_id) < (select placed_at, order_id from ${t('orders')} where order_id = $2)
         order by o.placed_at desc, o.order_id desc limit $1`,
        [first, after ?? null],
      );
      for (const order of rows) orderById.prime(order.orderId, order);
      return rows;
    },
  };
}
