import DataLoader from 'dataloader';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import type { CancellationReason, SalesChannel } from '../events/OrderEvent.js';
import type { OrderChangePosition } from './orderChangeCursor.js';
import { encodeOrderChangeCursor } from './orderChangeCursor.js';
import type { OrderLifecycleState } from './orderTimelineProjection.js';

/** An order as the subgraphs read it from the projection (shared by every subgraph version). */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  salesChannel: SalesChannel;
  currency: string;
  customerEmail: string;
  shippingCity: string;
  shippingPostalCode: string;
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

/** An order as the change feed delivers it: its current state, and its place in the feed. */
export interface OrderChange extends OrderRecord {
  /** The cursor that resumes the feed right after this order. */
  changeCursor: string;
}

export interface OrderChangePage {
  orders: OrderChange[];
  /** The last order's `changeCursor`; null when the page is empty (the caller keeps its own). */
  endCursor: string | null;
  /** Whether more changes are readable now, beyond this page. */
  hasMore: boolean;
}

export interface OrderTimelineLoaderOptions {
  /**
   * Restricts every statement to orders placed through these channels (the partner's row scope):
   * a condition inside the SQL, so rows of other channels are never read, counted or timed.
   * Default null: every channel.
   */
  salesChannels?: readonly SalesChannel[] | null;
}

/**
 * The queries the order timeline projection serves. Loaders batch by key (one statement per
 * table per request tick, whatever the number of rows): create them per request, never share.
 */
export interface OrderTimelineLoaders {
  orderById: DataLoader<string, OrderRecord | null>;
  linesByOrderId: DataLoader<string, OrderLineRecord[]>;
  statusHistoryByOrderId: DataLoader<string, StatusChangeRecord[]>;
  /** The producing system that entered each order (`order_sources`); null when unknown or out of scope. */
  sourceSystemByOrderId: DataLoader<string, string | null>;
  /** Newest first; `after` is the `orderId` of the last order of the previous page. */
  listOrders(first: number, after?: string | null): Promise<OrderRecord[]>;
  /**
   * Orders changed after `since` (null: from the beginning), each once in its current state, in
   * a stable order that only ever grows at its end: paging on with each page's `endCursor`
   * misses and repeats nothing, even while the projector writes.
   */
  orderChanges(first: number, since: OrderChangePosition | null): Promise<OrderChangePage>;
}

// Columns are aliased to the record's field names so pg's row object is the record itself:
// no second object per row (allocation, not SQL, dominates a large page).
const ORDER_COLUMNS = `order_id as "orderId", customer_id as "customerId", sales_channel as "salesChannel", currency,
  customer_email as "customerEmail", shipping_city as "shippingCity", shipping_postal_code as "shippingPostalCode", shipping_country as "shippingCountry",
  order_lifecycle_state as "lifecycleState", placed_at as "placedAt", confirmed_at as "confirmedAt", cancelled_at as "cancelledAt",
  cancellation_reason as "cancellationReason", order_total_amount as "orderTotalAmount", last_event_occurred_at as "lastEventOccurredAt"`;

function groupBy<T extends { orderId: string }>(keys: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function createOrderTimelineLoaders(db: Queryable, schema: string, options: OrderTimelineLoaderOptions = {}): OrderTimelineLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const channels = options.salesChannels ?? null;
  // The row scope is one more condition (and its parameter, numbered `n`) in each statement: a
  // scoped request runs as many statements as an unscoped one, and an unscoped one is unchanged.
  const inScope = (column: string, n: number) => (channels === null ? '' : ` and ${column} = any($${n}::text[])`);
  const withScope = (params: unknown[]) => (channels === null ? params : [...params, channels]);

  const orderById = new DataLoader<string, OrderRecord | null>(async (ids) => {
    const { rows } = await db.query<OrderRecord & Record<string, unknown>>(`select ${ORDER_COLUMNS} from ${t('orders')} where order_id = any($1::text[])${inScope('sales_channel', 2)}`, withScope([ids]));
    const byId = new Map<string, OrderRecord>(rows.map((r) => [r.orderId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    orderById,
    // Lines and history take their order's channel from the order row, so a guessed id of an
    // order out of scope yields nothing either.
    linesByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query<OrderLineRecord & Record<string, unknown>>(
        `select l.order_id as "orderId", l.line_id as "lineId", l.sku, l.quantity, l.unit_price as "unitPrice", l.line_amount as "lineAmount", o.currency
         from ${t('order_lines')} l join ${t('orders')} o using (order_id) where l.order_id = any($1::text[])${inScope('o.sales_channel', 2)} order by l.order_id, l.line_id`,
        withScope([ids]),
      );
      return groupBy(ids, rows);
    }),
    statusHistoryByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query<StatusChangeRecord & Record<string, unknown>>(
        `select h.order_id as "orderId", h.sequence, h.order_lifecycle_state as "lifecycleState", h.occurred_at as "occurredAt", h.cancellation_reason as "cancellationReason"
         from ${t('order_status_history')} h${channels === null ? '' : ` join ${t('orders')} o using (order_id)`}
         where h.order_id = any($1::text[])${inScope('o.sales_channel', 2)} order by h.order_id, h.sequence`,
        withScope([ids]),
      );
      return groupBy(ids, rows);
    }),
    // A loader of its own, not a column of every order read: only a reader that asks for the
    // entry path pays its statement.
    sourceSystemByOrderId: new DataLoader(async (ids) => {
      const { rows } = await db.query<{ orderId: string; sourceSystem: string }>(
        `select s.order_id as "orderId", s.source_system as "sourceSystem"
         from ${t('order_sources')} s${channels === null ? '' : ` join ${t('orders')} o using (order_id)`}
         where s.order_id = any($1::text[])${inScope('o.sales_channel', 2)}`,
        withScope([ids]),
      );
      const byId = new Map(rows.map((r) => [r.orderId, r.sourceSystem]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    async listOrders(first, after) {
      // The `after` order is looked up in scope too: an id out of scope gives an empty page, the
      // same as an unknown one, not a page positioned by an order the caller may not see.
      const { rows } = await db.query<OrderRecord & Record<string, unknown>>(
        `select ${ORDER_COLUMNS} from ${t('orders')} o
         where ($2::text is null or (o.placed_at, o.order_id) < (select placed_at, order_id from ${t('orders')} where order_id = $2${inScope('sales_channel', 3)}))${inScope('o.sales_channel', 3)}
         order by o.placed_at desc, o.order_id desc limit $1`,
        withScope([first, after ?? null]),
      );
      for (const order of rows) orderById.prime(order.orderId, order);
      return rows;
    },
    async orderChanges(first, since) {
      const { rows } = await db.query<OrderRecord & Record<string, unknown> & { changeXid: string; changeGeneration: string }>(
        orderChangesStatement(schema, ORDER_COLUMNS, channels !== null),
        orderChangesParams(schema, first, since, channels),
      );
      const orders = rows.slice(0, first).map(({ changeXid, changeGeneration, ...order }): OrderChange => {
        orderById.prime(order.orderId, order);
        return { ...order, changeCursor: encodeOrderChangeCursor({ generation: changeGeneration, changeXid, orderId: order.orderId }) };
      });
      return { orders, endCursor: orders.at(-1)?.changeCursor ?? null, hasMore: rows.length > first };
    },
  };
}

/**
 * Feed order is (change_xid, order_id): the id of the transaction that last wrote the order,
 * then the order id. A transaction's id is taken when it starts, not when it commits, so
 * two projector transactions in flight may commit out of id order. Hence the reader stops
 * below the oldest transaction still in flight (the snapshot's xmin): everything under it
 * has committed or aborted, and any later write of an order (a new transaction) gets an id
 * at or above it, moving the order past every cursor issued so far. The price: the feed
 * trails the oldest transaction holding an id anywhere on the server (a long one delays
 * it, never corrupts it). A cursor from another generation of the table (its oid: a
 * rebuild swaps in a table whose ids are not comparable) starts again from the beginning;
 * `$5::regclass` is the table this statement reads, as a swap's rename waits for our lock.
 */
export function orderChangesStatement(schema: string, select: string, scoped: boolean): string {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return `select ${select}, c.change_xid::text as "changeXid", c.tableoid::text as "changeGeneration"
         from ${t('order_changes')} c join ${t('orders')} o using (order_id)
         where c.change_xid < pg_snapshot_xmin(pg_current_snapshot())
           and (c.change_xid, c.order_id) > (case when $2::oid = $5::regclass::oid then $3::xid8 else '0'::xid8 end, case when $2::oid = $5::regclass::oid then $4::text else '' end)${scoped ? ' and o.sales_channel = any($6::text[])' : ''}
         order by c.change_xid, c.order_id limit $1`;
}

/** The parameters of `orderChangesStatement`: one row more than the page, to know whether more follow. */
export function orderChangesParams(schema: string, first: number, since: OrderChangePosition | null, channels: readonly string[] | null): unknown[] {
  const params: unknown[] = [first + 1, since?.generation ?? null, since?.changeXid ?? null, since?.orderId ?? null, `${quoteIdent(schema)}.${quoteIdent('order_changes')}`];
  return channels === null ? params : [...params, channels];
}
