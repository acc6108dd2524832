import type { Queryable } from '../../../platform/database/index.js';
import { arrayParam, insertRows } from '../../../platform/database/index.js';
import { centsToMoney, moneyToCents } from '../../../platform/events/index.js';
import type { Evolution, Projection, Rejection, TableNames } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { CancellationReason, OrderEvent, SalesChannel } from '../events/OrderEvent.js';

/** Where an order stands commercially. Fulfillment states (released, on hold) are not orders facts. */
export type OrderLifecycleState = 'placed' | 'confirmed' | 'cancelled';

export interface OrderRow {
  orderId: string;
  customerId: string;
  salesChannel: SalesChannel;
  currency: string;
  customerEmail: string;
  shippingLine1: string;
  shippingCity: string;
  shippingPostalCode: string;
  shippingCountry: string;
  lifecycleState: OrderLifecycleState;
  placedAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancellationReason: CancellationReason | null;
  /** Sum of quantity × unit price over current lines, as a money string. */
  orderTotalAmount: string;
  lastSequence: number;
  lastEventOccurredAt: string;
}

export interface OrderLineRow {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  lineAmount: string;
}

export interface StatusHistoryRow {
  orderId: string;
  sequence: number;
  lifecycleState: OrderLifecycleState;
  occurredAt: string;
  cancellationReason: CancellationReason | null;
}

export interface OrderTimelineState {
  order: OrderRow;
  lines: Record<string, OrderLineRow>;
  /** Lines added or changed since load, to upsert on save. */
  changedLineIds: string[];
  /** Lines removed since load (quantity 0), to delete on save. */
  removedLineIds: string[];
  /** History rows appended since load; history is append-only. */
  newHistory: StatusHistoryRow[];
  /**
   * The producing system that entered the order (its OrderPlaced's envelope `source`), when the
   * order was placed since load: written once to `order_sources`, null otherwise.
   */
  newSourceSystem: string | null;
}

const impossible = (reason: string): Evolution<OrderTimelineState> => ({ rejection: { code: QuarantineReasonCode.ImpossibleTransition, reason } });

/**
 * Amounts are stored as numeric(14,2): at most 999,999,999,999.99. Each price fits (the money
 * pattern allows 12 integer digits), but a line amount or a total can outgrow it, and such an
 * event failed its batch at the insert, for ever: a poison event. It is refused instead, saying why;
 * otherwise the order total, as a money string (sum of quantity × unit price over the lines).
 */
const MAX_STORED_CENTS = 99_999_999_999_999;

function storedTotal(event: OrderEvent, lines: Record<string, OrderLineRow>): { total: string } | { rejection: Rejection } {
  let sum = 0;
  for (const l of Object.values(lines)) {
    const cents = l.quantity * moneyToCents(l.unitPrice);
    sum += cents;
    if (Math.abs(cents) > MAX_STORED_CENTS) return { rejection: { code: QuarantineReasonCode.InvalidPayload, reason: `${event.type} #${event.sequence} for ${event.aggregateId}: line ${l.lineId} amounts to ${l.quantity} × ${l.unitPrice}, more than 999999999999.99, the largest amount stored` } };
  }
  if (Math.abs(sum) > MAX_STORED_CENTS) return { rejection: { code: QuarantineReasonCode.InvalidPayload, reason: `${event.type} #${event.sequence} for ${event.aggregateId}: the order total is more than 999999999999.99, the largest amount stored` } };
  return { total: centsToMoney(sum) };
}

function line(orderId: string, lineId: string, sku: string, quantity: number, unitPrice: string): OrderLineRow {
  const cents = moneyToCents(unitPrice);
  return { orderId, lineId, sku, quantity, unitPrice: centsToMoney(cents), lineAmount: centsToMoney(quantity * cents) };
}

const CANONICAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * The event time as stored: UTC with milliseconds, whatever offset and precision the producer
 * wrote. One already in that form (most are: the translator and most producers write
 * `toISOString`) is kept as it is: parsing and printing it was about 1.4 µs, most of a small
 * event's evolve. Kept only when it is a real calendar date, as `toISOString` would print it:
 * "02-30" must still become what Date makes of it, never reach PostgreSQL as it is.
 */
function canonicalTime(timestamp: string): string {
  const match = CANONICAL_TIMESTAMP.exec(timestamp);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    // Day 0 of the next month is the last day of this one.
    if (month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()) return timestamp;
  }
  return new Date(timestamp).toISOString();
}

/** Pure: the next state of one order, or why the event is impossible (../shared/events/README.md). */
export function evolveOrderTimeline(state: OrderTimelineState | undefined, event: OrderEvent): Evolution<OrderTimelineState> {
  const at = canonicalTime(event.occurredAt);
  if (event.type === 'OrderPlaced') {
    if (state) return impossible(`OrderPlaced #${event.sequence} for ${event.aggregateId}, which was already placed at ${state.order.placedAt}`);
    const d = event.data;
    const lines = Object.fromEntries(d.lines.map((l) => [l.lineId, line(event.aggregateId, l.lineId, l.sku, l.quantity, l.unitPrice)]));
    const summed = storedTotal(event, lines);
    if ('rejection' in summed) return summed;
    const order: OrderRow = {
      orderId: event.aggregateId,
      customerId: d.customerId,
      salesChannel: d.channel,
      currency: d.currency,
      customerEmail: d.customerEmail,
      shippingLine1: d.shippingAddress.line1,
      shippingCity: d.shippingAddress.city,
      shippingPostalCode: d.shippingAddress.postalCode,
      shippingCountry: d.shippingAddress.country,
      lifecycleState: 'placed',
      placedAt: at,
      confirmedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      orderTotalAmount: summed.total,
      lastSequence: event.sequence,
      lastEventOccurredAt: at,
    };
    return {
      state: {
        order,
        lines,
        changedLineIds: Object.keys(lines),
        removedLineIds: [],
        newHistory: [{ orderId: order.orderId, sequence: event.sequence, lifecycleState: 'placed', occurredAt: at, cancellationReason: null }],
        newSourceSystem: event.source,
      },
    };
  }
  if (!state) return impossible(`${event.type} #${event.sequence} for ${event.aggregateId} before its OrderPlaced`);
  if (state.order.lifecycleState === 'cancelled') return impossible(`${event.type} #${event.sequence} for ${event.aggregateId} after OrderCancelled`);
  const touched = { ...state.order, lastSequence: event.sequence, lastEventOccurredAt: at };
  switch (event.type) {
    case 'OrderLineAmended': {
      const existing = state.lines[event.data.lineId];
      if (!existing) return impossible(`OrderLineAmended for unknown lineId ${JSON.stringify(event.data.lineId)} of ${event.aggregateId} (lines: ${Object.keys(state.lines).join(', ') || 'none'})`);
      const lines = { ...state.lines };
      const removedLineIds = [...state.removedLineIds];
      const changedLineIds = state.changedLineIds.filter((id) => id !== event.data.lineId);
      if (event.data.quantity === 0) {
        delete lines[event.data.lineId];
        removedLineIds.push(event.data.lineId);
      } else {
        lines[event.data.lineId] = line(event.aggregateId, existing.lineId, existing.sku, event.data.quantity, event.data.unitPrice);
        changedLineIds.push(event.data.lineId);
      }
      const summed = storedTotal(event, lines);
      if ('rejection' in summed) return summed;
      return { state: { ...state, lines, changedLineIds, removedLineIds, order: { ...touched, orderTotalAmount: summed.total } } };
    }
    case 'OrderConfirmed':
      if (state.order.lifecycleState === 'confirmed') return impossible(`OrderConfirmed #${event.sequence} for ${event.aggregateId}, already confirmed at ${state.order.confirmedAt} by another event`);
      return { state: { ...state, order: { ...touched, lifecycleState: 'confirmed', confirmedAt: at }, newHistory: [...state.newHistory, { orderId: event.aggregateId, sequence: event.sequence, lifecycleState: 'confirmed', occurredAt: at, cancellationReason: null }] } };
    case 'OrderCancelled':
      return { state: { ...state, order: { ...touched, lifecycleState: 'cancelled', cancelledAt: at, cancellationReason: event.data.reason }, newHistory: [...state.newHistory, { orderId: event.aggregateId, sequence: event.sequence, lifecycleState: 'cancelled', occurredAt: at, cancellationReason: event.data.reason }] } };
  }
}

const epochMs = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v));

export const orderTimelineProjection: Projection<OrderEvent, OrderTimelineState> = {
  name: 'order_timeline',
  evolve: evolveOrderTimeline,
  tables: [
    {
      name: 'orders',
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          order_id text primary key, customer_id text not null, sales_channel text not null, currency char(3) not null,
          customer_email text not null, shipping_line1 text not null, shipping_city text not null,
          shipping_postal_code text not null, shipping_country char(2) not null,
          order_lifecycle_state text not null, placed_at timestamptz not null, confirmed_at timestamptz,
          cancelled_at timestamptz, cancellation_reason text, order_total_amount numeric(14,2) not null,
          last_sequence int not null, last_event_occurred_at timestamptz not null)`,
        // Serves the newest-first listing of the subgraphs (keyset pagination).
        `create index if not exists "${bare}_placed_idx" on ${t} (placed_at desc, order_id desc)`,
      ],
    },
    {
      name: 'order_lines',
      ddl: (t) => [`create table if not exists ${t} (order_id text not null, line_id text not null, sku text not null, quantity int not null, unit_price numeric(14,2) not null, line_amount numeric(14,2) not null, primary key (order_id, line_id))`],
    },
    {
      name: 'order_status_history',
      ddl: (t) => [`create table if not exists ${t} (order_id text not null, sequence int not null, order_lifecycle_state text not null, occurred_at timestamptz not null, cancellation_reason text, primary key (order_id, sequence))`],
    },
    {
      // Which producing system entered the order: its OrderPlaced's envelope `source`
      // (`web-checkout`, `store-pos`, `marketplace-bridge`, or `legacy-oms` for an order entered in
      // the legacy OMS and translated from its change stream). Provenance, in a table of its own:
      // the order's business rows stay identical whichever path entered it (tested), and a reader
      // that needs the path (the finance parallel run's scope) reads it here.
      name: 'order_sources',
      ddl: (t) => [`create table if not exists ${t} (order_id text primary key, source_system text not null)`],
    },
    {
      // The change feed's position of each order (DESIGN §9a): the id of the transaction that last
      // wrote anything of the order (its row, lines or history; `save` stamps it in the statement
      // that writes the order row). Readers page by (change_xid, order_id) and only below the
      // oldest transaction still in flight, so a page never passes a change that is yet to commit
      // (createOrderTimelineLoaders, orderChanges). A table of its own, not columns of `orders`:
      // the stamp says when a row was written, not what it holds, so comparisons of what the
      // projection holds (parity, replays, crash tests) leave it out by leaving this table out.
      // A rebuild writes every stamp anew under a new table (its oid is the cursor's generation):
      // partners then receive every order once more (at-least-once across a rebuild, exactly-once
      // otherwise).
      name: 'order_changes',
      writeStampColumns: ['change_xid'],
      ddl: (t, bare) => [
        `create table if not exists ${t} (order_id text primary key, change_xid xid8 not null)`,
        `create index if not exists "${bare}_feed_idx" on ${t} (change_xid, order_id)`,
      ],
    },
  ],

  async load(db: Queryable, tables: TableNames, aggregates: ReadonlyMap<string, readonly OrderEvent[]>) {
    const states = new Map<string, OrderTimelineState>();
    const ids = [...aggregates.keys()];
    // Lines matter only to amendments; confirmations and cancellations never read them.
    const needLines = ids.filter((id) => aggregates.get(id)!.some((e) => e.type === 'OrderLineAmended'));
    const orders = await db.query(`select * from ${tables.orders} where order_id = any($1::text[])`, [arrayParam('text', ids)]);
    const lines = needLines.length > 0 ? await db.query(`select * from ${tables.order_lines} where order_id = any($1::text[])`, [arrayParam('text', needLines)]) : { rows: [] };
    for (const r of orders.rows) {
      const order: OrderRow = {
        orderId: String(r.order_id),
        customerId: String(r.customer_id),
        salesChannel: r.sales_channel as SalesChannel,
        currency: String(r.currency),
        customerEmail: String(r.customer_email),
        shippingLine1: String(r.shipping_line1),
        shippingCity: String(r.shipping_city),
        shippingPostalCode: String(r.shipping_postal_code),
        shippingCountry: String(r.shipping_country),
        lifecycleState: r.order_lifecycle_state as OrderLifecycleState,
        placedAt: iso(r.placed_at)!,
        confirmedAt: iso(r.confirmed_at),
        cancelledAt: iso(r.cancelled_at),
        cancellationReason: (r.cancellation_reason as CancellationReason | null) ?? null,
        orderTotalAmount: String(r.order_total_amount),
        lastSequence: Number(r.last_sequence),
        lastEventOccurredAt: iso(r.last_event_occurred_at)!,
      };
      states.set(order.orderId, { order, lines: {}, changedLineIds: [], removedLineIds: [], newHistory: [], newSourceSystem: null });
    }
    for (const r of lines.rows) {
      const state = states.get(String(r.order_id));
      if (state) state.lines[String(r.line_id)] = { orderId: String(r.order_id), lineId: String(r.line_id), sku: String(r.sku), quantity: Number(r.quantity), unitPrice: String(r.unit_price), lineAmount: String(r.line_amount) };
    }
    return states;
  },

  async save(db: Queryable, tables: TableNames, states: ReadonlyMap<string, OrderTimelineState>) {
    if (states.size === 0) return;
    const all = [...states.values()];
    // An order placed since load (it has a source to record) has no row of any table yet: the
    // engine evolves OrderPlaced only for an order with no state, and loads the state of every
    // order that has rows. Its rows are inserted plainly or copied in (binary COPY), which cost
    // the server about 40% and 55% less than `on conflict` inserts (no speculative insertion);
    // should the premise ever fail, the write fails and the batch is retried, it never
    // overwrites. Orders that had rows are upserted.
    const placed = all.filter((s) => s.newSourceSystem !== null);
    const amended = all.filter((s) => s.newSourceSystem === null);
    if (placed.length > 0) await writeOrders(db, tables, placed, 'insert');
    if (amended.length > 0) await writeOrders(db, tables, amended, 'upsert');
    const placedLines = placed.flatMap((s) => s.changedLineIds.map((id) => s.lines[id]!));
    await insertRows(
      db,
      tables.order_lines!,
      [['order_id', 'text'], ['line_id', 'text'], ['sku', 'text'], ['quantity', 'int4'], ['unit_price', 'numeric'], ['line_amount', 'numeric']],
      placedLines.map((l) => [l.orderId, l.lineId, l.sku, l.quantity, l.unitPrice, l.lineAmount]),
    );
    await upsertLines(db, tables, amended.flatMap((s) => s.changedLineIds.map((id) => s.lines[id]!)));
    const removed = all.flatMap((s) => s.removedLineIds.filter((id) => !s.lines[id]).map((lineId) => [s.order.orderId, lineId] as const));
    if (removed.length > 0) {
      await db.query(`delete from ${tables.order_lines} l using unnest($1::text[], $2::text[]) r(order_id, line_id) where l.order_id = r.order_id and l.line_id = r.line_id`, [arrayParam('text', removed.map((r) => r[0])), arrayParam('text', removed.map((r) => r[1]))]);
    }
    await insertRows(db, tables.order_sources!, [['order_id', 'text'], ['source_system', 'text']], placed.map((s) => [s.order.orderId, s.newSourceSystem]));
    // History is append-only, one row per applied sequence of an order: the engine applies each
    // sequence once, so every row is new.
    await insertRows(
      db,
      tables.order_status_history!,
      [['order_id', 'text'], ['sequence', 'int4'], ['order_lifecycle_state', 'text'], ['occurred_at', 'timestamptz'], ['cancellation_reason', 'text']],
      all.flatMap((s) => s.newHistory.map((h) => [h.orderId, h.sequence, h.lifecycleState, epochMs(h.occurredAt), h.cancellationReason])),
    );
  },
};

/**
 * Writes the order rows of `states` (`insert`: none of them exists yet; `upsert`: they may), and
 * in the same statement stamps each order's change-feed position with this transaction's id: no
 * write of an order can skip its stamp. Every changed state rewrites its order row (each event
 * moves last_sequence).
 */
async function writeOrders(db: Queryable, tables: TableNames, states: readonly OrderTimelineState[], mode: 'insert' | 'upsert'): Promise<void> {
  const orders = states.map((s) => s.order);
  // Typed array parameters travel in binary (see ArrayParam); amounts go as text, cast in SQL,
  // and times as epoch milliseconds (the state's times are toISOString's, millisecond-exact).
  const text = (k: keyof OrderRow) => arrayParam('text', orders.map((o) => o[k] as string | null));
  const time = (k: 'placedAt' | 'confirmedAt' | 'cancelledAt' | 'lastEventOccurredAt') => arrayParam('timestamptz', orders.map((o) => epochMs(o[k])));
  const onConflict = {
    insert: { orders: '', changes: '' },
    upsert: {
      orders: `on conflict (order_id) do update set order_lifecycle_state = excluded.order_lifecycle_state, confirmed_at = excluded.confirmed_at,
           cancelled_at = excluded.cancelled_at, cancellation_reason = excluded.cancellation_reason, order_total_amount = excluded.order_total_amount,
           last_sequence = excluded.last_sequence, last_event_occurred_at = excluded.last_event_occurred_at`,
      changes: 'on conflict (order_id) do update set change_xid = excluded.change_xid',
    },
  }[mode];
  await db.query(
    `with written as (
       insert into ${tables.orders} select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[]::numeric[], $16::int[], $17::timestamptz[])
       ${onConflict.orders}
       returning order_id)
     insert into ${tables.order_changes} (order_id, change_xid) select order_id, pg_current_xact_id() from written
     ${onConflict.changes}`,
    [
      text('orderId'), text('customerId'), text('salesChannel'), text('currency'), text('customerEmail'), text('shippingLine1'), text('shippingCity'), text('shippingPostalCode'), text('shippingCountry'), text('lifecycleState'),
      time('placedAt'), time('confirmedAt'), time('cancelledAt'), text('cancellationReason'), text('orderTotalAmount'), arrayParam('int4', orders.map((o) => o.lastSequence)), time('lastEventOccurredAt'),
    ],
  );
}

/** Upserts lines of orders stored before this batch (added or amended). */
async function upsertLines(db: Queryable, tables: TableNames, lines: readonly OrderLineRow[]): Promise<void> {
  if (lines.length === 0) return;
  await db.query(
    `insert into ${tables.order_lines} select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]::numeric[], $6::text[]::numeric[])
     on conflict (order_id, line_id) do update set quantity = excluded.quantity, unit_price = excluded.unit_price, line_amount = excluded.line_amount`,
    [
      arrayParam('text', lines.map((l) => l.orderId)), arrayParam('text', lines.map((l) => l.lineId)), arrayParam('text', lines.map((l) => l.sku)),
      arrayParam('int4', lines.map((l) => l.quantity)), arrayParam('text', lines.map((l) => l.unitPrice)), arrayParam('text', lines.map((l) => l.lineAmount)),
    ],
  );
}
