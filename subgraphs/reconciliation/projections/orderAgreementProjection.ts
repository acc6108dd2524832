import type { Queryable } from '../../../platform/database/index.js';
import type { EventOrigin, Evolution, Projection, TableNames } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { FulfillmentEvent, ShipmentTrackingState } from '../../fulfillment/index.js';
import { evolveShipmentTracking } from '../../fulfillment/index.js';
import type { OrderEvent, OrderTimelineState } from '../../orders/index.js';
import { evolveOrderTimeline } from '../../orders/index.js';
import type { PaymentAttemptState, PaymentEvent } from '../../payments/index.js';
import { evolvePaymentAttempt } from '../../payments/index.js';
import type { ReconciliationEvent, SourceContext } from '../events/ReconciliationEvent.js';
import { sourceOf } from '../events/ReconciliationEvent.js';
import type { OrderFact } from '../rules/OrderFact.js';
import { settleOrders } from './settleOrders.js';

export const ORDER_AGREEMENT = 'order_agreement';

/**
 * One source aggregate (an order, a payment attempt, a shipment) as reconciliation holds it: the
 * order it belongs to, its accepted events, and the owning context's own state for it, replayed
 * from those events at load. Whether an event is acceptable is asked of the owner's `evolve`, so
 * reconciliation accepts exactly what the owner accepts (and quarantines what it quarantines,
 * with the owner's reason): the two never disagree on what happened.
 */
export interface SourceAggregateState {
  orderId: string;
  source: SourceContext;
  owner: OrderTimelineState | PaymentAttemptState | ShipmentTrackingState;
  /** Events accepted in this batch, with where they were read: written by `save`. */
  fresh: OrderFact[];
}

type OwnerState = SourceAggregateState['owner'];

function ownerEvolve(state: OwnerState | undefined, event: ReconciliationEvent): Evolution<OwnerState> {
  switch (sourceOf(event)) {
    case 'orders':
      return evolveOrderTimeline(state as OrderTimelineState | undefined, event as OrderEvent);
    case 'payments':
      return evolvePaymentAttempt(state as PaymentAttemptState | undefined, event as PaymentEvent);
    case 'fulfillment':
      return evolveShipmentTracking(state as ShipmentTrackingState | undefined, event as FulfillmentEvent);
  }
}

/** The order an aggregate's first event names. */
function orderIdOf(event: ReconciliationEvent): string | undefined {
  if (sourceOf(event) === 'orders') return event.aggregateId;
  const data = event.data as { orderId?: unknown };
  return typeof data.orderId === 'string' ? data.orderId : undefined;
}

const q = (tables: TableNames, name: string) => tables[name]!;

/**
 * The reconciliation projection. Its rows: every accepted event of order-to-cash, by order
 * (`reconciliation_events`); per order, whether it is settled, when its next decision falls and
 * what its contexts agree on (`order_agreements`); and the exceptions the rules decided
 * (`reconciliation_exceptions`). Events are applied as they come (ordered per source aggregate
 * by the engine); exceptions are decided by the settlement at the event-time watermark.
 */
export const orderAgreementProjection: Projection<ReconciliationEvent, SourceAggregateState> = {
  name: ORDER_AGREEMENT,
  tables: [
    {
      name: 'reconciliation_events',
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          event_id text primary key, order_id text not null, aggregate_id text not null, sequence int not null,
          event_type text not null, occurred_at timestamptz not null, event jsonb not null,
          topic text not null, partition int not null, record_offset bigint not null)`,
        `create index if not exists ${bare}_order on ${t} (order_id)`,
        `create index if not exists ${bare}_aggregate on ${t} (aggregate_id, sequence)`,
      ],
    },
    {
      name: 'order_agreements',
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          order_id text primary key, settled boolean not null default false,
          next_decision_at timestamptz, agreement jsonb)`,
        `create index if not exists ${bare}_due on ${t} (next_decision_at)`,
        `create index if not exists ${bare}_unsettled on ${t} (order_id) where not settled`,
      ],
    },
    {
      name: 'reconciliation_exceptions',
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          exception_id text primary key, order_id text not null, rule text not null, subject text not null,
          owner text not null, severity text not null, state text not null check (state in ('OPEN', 'RESOLVED')),
          opened_at timestamptz not null, last_opened_at timestamptz not null, open_count int not null,
          deadline_at timestamptz, resolved_at timestamptz, resolved_by jsonb, evidence jsonb not null)`,
        `create index if not exists ${bare}_order on ${t} (order_id)`,
        `create index if not exists ${bare}_listing on ${t} (state, rule, owner, last_opened_at)`,
      ],
    },
  ],

  async load(db, tables, aggregates) {
    const { rows } = await db.query<{ aggregate_id: string; order_id: string; event: ReconciliationEvent }>(
      `select aggregate_id, order_id, event from ${q(tables, 'reconciliation_events')} where aggregate_id = any($1::text[]) order by aggregate_id, sequence`,
      [[...aggregates.keys()]],
    );
    const states = new Map<string, SourceAggregateState>();
    for (const row of rows) {
      const current = states.get(row.aggregate_id);
      const evolution = ownerEvolve(current?.owner, row.event);
      // Stored events were accepted by this same replay once; a refusal now means the owner's
      // rules changed under stored history. Keep what was accepted: the rebuild drill shows it.
      if ('rejection' in evolution) continue;
      states.set(row.aggregate_id, { orderId: row.order_id, source: sourceOf(row.event), owner: evolution.state, fresh: [] });
    }
    return states;
  },

  evolve(state, event, origin: EventOrigin) {
    const source = sourceOf(event);
    const evolution = ownerEvolve(state?.owner, event);
    if ('rejection' in evolution) {
      return { rejection: { code: evolution.rejection.code, reason: `${evolution.rejection.reason} (the ${source} context's rule, applied here as there)` } };
    }
    const orderId = state?.orderId ?? orderIdOf(event);
    if (orderId === undefined) {
      return { rejection: { code: QuarantineReasonCode.ImpossibleTransition, reason: `${event.type} #${event.sequence} for ${event.aggregateId} names no order, and no earlier event of ${event.aggregateId} did` } };
    }
    return { state: { orderId, source, owner: evolution.state, fresh: [...(state?.fresh ?? []), { event, origin }] } };
  },

  async save(db: Queryable, tables, states) {
    const fresh = [...states.values()].flatMap((s) => s.fresh.map((f) => ({ orderId: s.orderId, ...f })));
    if (fresh.length === 0) return;
    await db.query(
      `insert into ${q(tables, 'reconciliation_events')} (event_id, order_id, aggregate_id, sequence, event_type, occurred_at, event, topic, partition, record_offset)
       select i, o, a, s, t, at, e::jsonb, tp, p, r from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::int[], $10::int8[]) x(i, o, a, s, t, at, e, tp, p, r)
       on conflict (event_id) do nothing`,
      [
        fresh.map((f) => f.event.eventId),
        fresh.map((f) => f.orderId),
        fresh.map((f) => f.event.aggregateId),
        fresh.map((f) => f.event.sequence),
        fresh.map((f) => f.event.type),
        fresh.map((f) => f.event.occurredAt),
        fresh.map((f) => JSON.stringify(f.event)),
        fresh.map((f) => f.origin.topic),
        fresh.map((f) => f.origin.partition),
        fresh.map((f) => f.origin.offset),
      ],
    );
    // Sorted: concurrent batches of other partitions lock the same rows in the same order.
    const orderIds = [...new Set(fresh.map((f) => f.orderId))].sort();
    await db.query(
      `insert into ${q(tables, 'order_agreements')} (order_id, settled) select unnest($1::text[]), false
       on conflict (order_id) do update set settled = false`,
      [orderIds],
    );
  },

  settlement: { settle: settleOrders },
};
