import type { Queryable } from '../../../platform/database/index.js';
import { centsToMoney, moneyToCents } from '../../../platform/events/index.js';
import type { Evolution, Projection, TableNames } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { FraudOutcome, PaymentEvent, PaymentEventType, PaymentFailed, PaymentFailureCode, PaymentMethod, RefundReason } from '../events/PaymentEvent.js';

/**
 * Where a payment attempt stands. Capture and refund progress are read from the sums (in the
 * payment's sequence order): `captured` means the whole authorized amount, `refunded` the whole
 * captured sum. `voided` and `failed` are set by their events; `failed` is terminal.
 */
export type PaymentLifecycleState = 'authorized' | 'partially_captured' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'failed';

/** One payment attempt (an aggregate of `payments.events.v1`). Money as decimal strings, exact. */
export interface PaymentRow {
  paymentId: string;
  orderId: string;
  currency: string;
  /** Null for a payment declined at once: its PaymentFailed names no method. */
  method: PaymentMethod | null;
  pspReference: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Personal data. */
  cardHolderName: string | null;
  /** The amount the attempt was for: authorized, or declined at once. */
  requestedAmount: string;
  /** Null unless authorized. */
  authorizedAmount: string | null;
  capturedAmount: string;
  refundedAmount: string;
  lifecycleState: PaymentLifecycleState;
  /** Event time of the attempt's first event (its authorization, or its decline). */
  attemptedAt: string;
  authorizedAt: string | null;
  authorizationExpiresAt: string | null;
  fraudOutcome: FraudOutcome | null;
  fraudScore: number | null;
  fraudCheckedAt: string | null;
  voidedAt: string | null;
  failedAt: string | null;
  failureCode: PaymentFailureCode | null;
  lastSequence: number;
  lastEventOccurredAt: string;
}

export interface PaymentCaptureRow {
  paymentId: string;
  captureId: string;
  amount: string;
  /** Event time of the PaymentCaptured. */
  capturedAt: string;
  sequence: number;
}

export interface PaymentRefundRow {
  paymentId: string;
  refundId: string;
  amount: string;
  reason: RefundReason;
  /** Event time of the PaymentRefunded. */
  refundedAt: string;
  sequence: number;
}

/** One applied event and the lifecycle state it left the payment in. */
export interface PaymentStatusChangeRow {
  paymentId: string;
  sequence: number;
  eventType: PaymentEventType;
  lifecycleState: PaymentLifecycleState;
  occurredAt: string;
}

export interface PaymentAttemptState {
  payment: PaymentRow;
  /**
   * Capture (refund) ids already recorded, so a repeated one is rejected. `load` reads them only
   * for payments whose batch carries a PaymentCaptured (PaymentRefunded): no other event needs them.
   */
  captureIds: string[];
  refundIds: string[];
  /** Rows appended since load: captures, refunds and history are append-only. */
  newCaptures: PaymentCaptureRow[];
  newRefunds: PaymentRefundRow[];
  newHistory: PaymentStatusChangeRow[];
}

const impossible = (reason: string): Evolution<PaymentAttemptState> => ({ rejection: { code: QuarantineReasonCode.ImpossibleTransition, reason } });
const cents = (amount: string | null) => (amount === null ? 0 : moneyToCents(amount));
const exact = (amount: string) => centsToMoney(moneyToCents(amount));
const iso = (timestamp: string) => new Date(timestamp).toISOString();

/** The state a payment that is neither voided nor failed is in, read from its sums. */
function settlementState(payment: Pick<PaymentRow, 'authorizedAmount' | 'capturedAmount' | 'refundedAmount'>): PaymentLifecycleState {
  const captured = cents(payment.capturedAmount);
  const refunded = cents(payment.refundedAmount);
  if (refunded > 0) return refunded === captured ? 'refunded' : 'partially_refunded';
  if (captured > 0) return captured === cents(payment.authorizedAmount) ? 'captured' : 'partially_captured';
  return 'authorized';
}

const historyRow = (payment: PaymentRow, event: PaymentEvent): PaymentStatusChangeRow => ({ paymentId: payment.paymentId, sequence: event.sequence, eventType: event.type, lifecycleState: payment.lifecycleState, occurredAt: iso(event.occurredAt) });

/** A payment's first state, from its first event. */
function started(payment: PaymentRow, event: PaymentEvent): Evolution<PaymentAttemptState> {
  return { state: { payment, captureIds: [], refundIds: [], newCaptures: [], newRefunds: [], newHistory: [historyRow(payment, event)] } };
}

/** The state after `event`: the payment row as it changes, its position, and its history row. */
function advance(state: PaymentAttemptState, event: PaymentEvent, changed: PaymentRow, appended: Partial<Pick<PaymentAttemptState, 'captureIds' | 'refundIds' | 'newCaptures' | 'newRefunds'>> = {}): Evolution<PaymentAttemptState> {
  const payment = { ...changed, lastSequence: event.sequence, lastEventOccurredAt: iso(event.occurredAt) };
  return { state: { ...state, ...appended, payment, newHistory: [...state.newHistory, historyRow(payment, event)] } };
}

function firstEvent(event: PaymentEvent): Evolution<PaymentAttemptState> {
  const at = iso(event.occurredAt);
  const blank = { paymentId: event.aggregateId, method: null, pspReference: null, cardBrand: null, cardLast4: null, cardHolderName: null, authorizedAmount: null, capturedAmount: '0.00', refundedAmount: '0.00', attemptedAt: at, authorizedAt: null, authorizationExpiresAt: null, fraudOutcome: null, fraudScore: null, fraudCheckedAt: null, voidedAt: null, failedAt: null, failureCode: null, lastSequence: event.sequence, lastEventOccurredAt: at } as const;
  if (event.type === 'PaymentAuthorized') {
    const d = event.data;
    const amount = exact(d.amount);
    return started({
      ...blank,
      orderId: d.orderId,
      currency: d.currency,
      method: d.method,
      pspReference: d.pspReference,
      cardBrand: d.card?.brand ?? null,
      cardLast4: d.card?.last4 ?? null,
      cardHolderName: d.card?.holderName ?? null,
      requestedAmount: amount,
      authorizedAmount: amount,
      lifecycleState: 'authorized',
      authorizedAt: at,
      authorizationExpiresAt: iso(d.authorizationExpiresAt),
    }, event);
  }
  if (event.type === 'PaymentFailed') {
    const { orderId, amount, currency, failureCode } = event.data;
    if (orderId === undefined || amount === undefined || currency === undefined) {
      return impossible(`PaymentFailed #${event.sequence} for ${event.aggregateId} is its first event applied, so the payment was declined at once and must name orderId, amount and currency; received only failureCode ${JSON.stringify(failureCode)}`);
    }
    return started({ ...blank, orderId, currency, requestedAmount: exact(amount), lifecycleState: 'failed', failedAt: at, failureCode }, event);
  }
  return impossible(`${event.type} #${event.sequence} for ${event.aggregateId} before its PaymentAuthorized or PaymentFailed: a payment attempt starts by being authorized or declined`);
}

/** A later PaymentFailed may repeat the first event's order and currency; it may not change them. */
function contradiction(payment: PaymentRow, event: PaymentFailed): string | null {
  const { orderId, currency } = event.data;
  if (orderId !== undefined && orderId !== payment.orderId) return `names orderId ${JSON.stringify(orderId)}, but the payment belongs to ${JSON.stringify(payment.orderId)} since its first event`;
  if (currency !== undefined && currency !== payment.currency) return `is in ${currency}, but the payment's currency is ${payment.currency}, fixed by its first event`;
  return null;
}

/**
 * Pure: the next state of one payment attempt, or why the event is impossible
 * (../shared/events/README.md, topic payments.events.v1). Sums are judged in sequence order:
 * the engine applies a payment's events in that order, whatever order they arrived in.
 */
export function evolvePaymentAttempt(state: PaymentAttemptState | undefined, event: PaymentEvent): Evolution<PaymentAttemptState> {
  if (!state) return firstEvent(event);
  const { payment } = state;
  const subject = `${event.type} #${event.sequence} for ${event.aggregateId}`;
  const money = (amountCents: number) => `${centsToMoney(amountCents)} ${payment.currency}`;
  if (payment.lifecycleState === 'failed') return impossible(`${subject} after PaymentFailed (${payment.failureCode} at ${payment.failedAt}): a failed payment is terminal`);
  const at = iso(event.occurredAt);
  switch (event.type) {
    case 'PaymentAuthorized':
      return impossible(`${subject}, which was already authorized at ${payment.authorizedAt}: a re-authorization is a new payment attempt with its own id`);
    case 'FraudCheckCompleted':
      // A verdict may come after a void (the check ran on the released authorization): kept, as it is a fact.
      return advance(state, event, { ...payment, fraudOutcome: event.data.outcome, fraudScore: event.data.score, fraudCheckedAt: at });
    case 'PaymentCaptured': {
      const { captureId, amount } = event.data;
      if (payment.lifecycleState === 'voided') return impossible(`${subject} (capture ${captureId}) after PaymentVoided at ${payment.voidedAt}: the authorization was released`);
      if (state.captureIds.includes(captureId)) return impossible(`${subject} repeats captureId ${JSON.stringify(captureId)}, already captured on this payment`);
      if (Date.parse(event.occurredAt) > Date.parse(payment.authorizationExpiresAt!)) {
        return impossible(`${subject} (capture ${captureId}) dated ${at}, after the authorization expired at ${payment.authorizationExpiresAt}`);
      }
      const captured = cents(payment.capturedAmount) + moneyToCents(amount);
      if (captured > cents(payment.authorizedAmount)) {
        return impossible(`${subject} (capture ${captureId} of ${money(moneyToCents(amount))}) would take the captured sum to ${money(captured)}, above the authorized ${money(cents(payment.authorizedAmount))}`);
      }
      const next = { ...payment, capturedAmount: centsToMoney(captured) };
      return advance(state, event, { ...next, lifecycleState: settlementState(next) }, {
        captureIds: [...state.captureIds, captureId],
        newCaptures: [...state.newCaptures, { paymentId: payment.paymentId, captureId, amount: exact(amount), capturedAt: at, sequence: event.sequence }],
      });
    }
    case 'PaymentRefunded': {
      const { refundId, amount, reason } = event.data;
      if (payment.lifecycleState === 'voided') return impossible(`${subject} (refund ${refundId}) after PaymentVoided at ${payment.voidedAt}: nothing was captured to refund`);
      if (state.refundIds.includes(refundId)) return impossible(`${subject} repeats refundId ${JSON.stringify(refundId)}, already refunded on this payment`);
      const refunded = cents(payment.refundedAmount) + moneyToCents(amount);
      if (refunded > cents(payment.capturedAmount)) {
        return impossible(`${subject} (refund ${refundId} of ${money(moneyToCents(amount))}) would take the refunded sum to ${money(refunded)}, above the captured ${money(cents(payment.capturedAmount))}`);
      }
      const next = { ...payment, refundedAmount: centsToMoney(refunded) };
      return advance(state, event, { ...next, lifecycleState: settlementState(next) }, {
        refundIds: [...state.refundIds, refundId],
        newRefunds: [...state.newRefunds, { paymentId: payment.paymentId, refundId, amount: exact(amount), reason, refundedAt: at, sequence: event.sequence }],
      });
    }
    case 'PaymentVoided':
      if (payment.lifecycleState === 'voided') return impossible(`${subject}, already voided at ${payment.voidedAt}`);
      if (cents(payment.capturedAmount) > 0) return impossible(`${subject} after a capture (${money(cents(payment.capturedAmount))} captured): only an authorization with nothing captured can be voided`);
      return advance(state, event, { ...payment, lifecycleState: 'voided', voidedAt: at });
    case 'PaymentFailed': {
      if (payment.lifecycleState === 'voided') return impossible(`${subject} (${event.data.failureCode}) after PaymentVoided at ${payment.voidedAt}: the authorization was already released`);
      const contradicts = contradiction(payment, event);
      if (contradicts) return impossible(`${subject} ${contradicts}`);
      return advance(state, event, { ...payment, lifecycleState: 'failed', failedAt: at, failureCode: event.data.failureCode });
    }
  }
}

/** The projection's tables, named once: its DDL, load, save and the subgraph's loaders read these. */
export const PAYMENT_ATTEMPTS_TABLES = { payments: 'payments', captures: 'payment_captures', refunds: 'payment_refunds', statusHistory: 'payment_status_history' } as const;
const TABLE = PAYMENT_ATTEMPTS_TABLES;

// The payments row's columns, their SQL types (for `unnest`) and fields: what `save` writes.
const PAYMENT_COLUMNS = [
  ['payment_id', 'text', 'paymentId'],
  ['order_id', 'text', 'orderId'],
  ['currency', 'text', 'currency'],
  ['method', 'text', 'method'],
  ['psp_reference', 'text', 'pspReference'],
  ['card_brand', 'text', 'cardBrand'],
  ['card_last4', 'text', 'cardLast4'],
  ['card_holder_name', 'text', 'cardHolderName'],
  ['requested_amount', 'numeric', 'requestedAmount'],
  ['authorized_amount', 'numeric', 'authorizedAmount'],
  ['captured_amount', 'numeric', 'capturedAmount'],
  ['refunded_amount', 'numeric', 'refundedAmount'],
  ['payment_lifecycle_state', 'text', 'lifecycleState'],
  ['attempted_at', 'timestamptz', 'attemptedAt'],
  ['authorized_at', 'timestamptz', 'authorizedAt'],
  ['authorization_expires_at', 'timestamptz', 'authorizationExpiresAt'],
  ['fraud_outcome', 'text', 'fraudOutcome'],
  ['fraud_score', 'int', 'fraudScore'],
  ['fraud_checked_at', 'timestamptz', 'fraudCheckedAt'],
  ['voided_at', 'timestamptz', 'voidedAt'],
  ['failed_at', 'timestamptz', 'failedAt'],
  ['failure_code', 'text', 'failureCode'],
  ['last_sequence', 'int', 'lastSequence'],
  ['last_event_occurred_at', 'timestamptz', 'lastEventOccurredAt'],
] as const satisfies ReadonlyArray<readonly [string, string, keyof PaymentRow]>;

/** Columns no event changes after the first: the upsert leaves them as they are. */
const FIXED_AT_FIRST_EVENT = new Set<string>(['payment_id', 'order_id', 'currency', 'method', 'psp_reference', 'card_brand', 'card_last4', 'card_holder_name', 'requested_amount', 'authorized_amount', 'attempted_at', 'authorized_at', 'authorization_expires_at']);

const isoOrNull = (value: unknown) => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : iso(String(value)));

function paymentFromRow(r: Record<string, unknown>): PaymentRow {
  const text = (column: string) => (r[column] === null ? null : String(r[column]));
  return {
    paymentId: String(r.payment_id),
    orderId: String(r.order_id),
    currency: String(r.currency),
    method: text('method') as PaymentMethod | null,
    pspReference: text('psp_reference'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    cardHolderName: text('card_holder_name'),
    requestedAmount: exact(String(r.requested_amount)),
    authorizedAmount: r.authorized_amount === null ? null : exact(String(r.authorized_amount)),
    capturedAmount: exact(String(r.captured_amount)),
    refundedAmount: exact(String(r.refunded_amount)),
    lifecycleState: r.payment_lifecycle_state as PaymentLifecycleState,
    attemptedAt: isoOrNull(r.attempted_at)!,
    authorizedAt: isoOrNull(r.authorized_at),
    authorizationExpiresAt: isoOrNull(r.authorization_expires_at),
    fraudOutcome: text('fraud_outcome') as FraudOutcome | null,
    fraudScore: r.fraud_score === null ? null : Number(r.fraud_score),
    fraudCheckedAt: isoOrNull(r.fraud_checked_at),
    voidedAt: isoOrNull(r.voided_at),
    failedAt: isoOrNull(r.failed_at),
    failureCode: text('failure_code') as PaymentFailureCode | null,
    lastSequence: Number(r.last_sequence),
    lastEventOccurredAt: isoOrNull(r.last_event_occurred_at)!,
  };
}

/** `insert ... select * from unnest($1::t1[], ...)` for rows given as columns: one statement for any number of rows. */
async function insertRows<T>(db: Queryable, table: string, columns: ReadonlyArray<readonly [column: string, type: string, pick: (row: T) => unknown]>, rows: readonly T[], conflict: string): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([column]) => column).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await db.query(`insert into ${table} (${names}) select * from unnest(${arrays}) ${conflict}`, columns.map(([, , pick]) => rows.map(pick)));
}

/**
 * Every payment attempt of the `payments.events.v1` topic: its authorization, fraud verdict,
 * captures, refunds, void or failure, each with its event time. Payments never read orders: a
 * payment that arrives before its order is normal, and is kept under the order id it names.
 */
export const paymentAttemptsProjection: Projection<PaymentEvent, PaymentAttemptState> = {
  name: 'payment_attempts',
  evolve: evolvePaymentAttempt,
  tables: [
    {
      name: TABLE.payments,
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          payment_id text primary key, order_id text not null, currency char(3) not null,
          method text, psp_reference text, card_brand text, card_last4 text, card_holder_name text,
          requested_amount numeric(14,2) not null, authorized_amount numeric(14,2),
          captured_amount numeric(14,2) not null, refunded_amount numeric(14,2) not null,
          payment_lifecycle_state text not null, attempted_at timestamptz not null,
          authorized_at timestamptz, authorization_expires_at timestamptz,
          fraud_outcome text, fraud_score int, fraud_checked_at timestamptz,
          voided_at timestamptz, failed_at timestamptz, failure_code text,
          last_sequence int not null, last_event_occurred_at timestamptz not null)`,
        // Serves the lookup of an order's payments, in the order they were attempted.
        `create index if not exists "${bare}_order_idx" on ${t} (order_id, attempted_at, payment_id)`,
      ],
    },
    {
      name: TABLE.captures,
      ddl: (t, bare) => [
        `create table if not exists ${t} (payment_id text not null, capture_id text not null, amount numeric(14,2) not null, captured_at timestamptz not null, sequence int not null, primary key (payment_id, capture_id))`,
        // Serves the orders with money moved in a window of event time (orderIdsWithMoneyMovementBetween), index only.
        `create index if not exists "${bare}_captured_at_idx" on ${t} (captured_at, payment_id)`,
      ],
    },
    {
      name: TABLE.refunds,
      ddl: (t, bare) => [
        `create table if not exists ${t} (payment_id text not null, refund_id text not null, amount numeric(14,2) not null, reason text not null, refunded_at timestamptz not null, sequence int not null, primary key (payment_id, refund_id))`,
        // Serves the same lookup for refunds.
        `create index if not exists "${bare}_refunded_at_idx" on ${t} (refunded_at, payment_id)`,
      ],
    },
    {
      name: TABLE.statusHistory,
      ddl: (t) => [`create table if not exists ${t} (payment_id text not null, sequence int not null, event_type text not null, payment_lifecycle_state text not null, occurred_at timestamptz not null, primary key (payment_id, sequence))`],
    },
  ],

  async load(db: Queryable, tables: TableNames, aggregates: ReadonlyMap<string, readonly PaymentEvent[]>) {
    const ids = [...aggregates.keys()];
    const carrying = (type: PaymentEventType) => ids.filter((id) => aggregates.get(id)!.some((e) => e.type === type));
    const capturing = carrying('PaymentCaptured');
    const refunding = carrying('PaymentRefunded');
    const payments = await db.query(`select * from ${tables[TABLE.payments]} where payment_id = any($1::text[])`, [ids]);
    const captures = capturing.length > 0 ? await db.query<{ payment_id: string; capture_id: string }>(`select payment_id, capture_id from ${tables[TABLE.captures]} where payment_id = any($1::text[])`, [capturing]) : { rows: [] };
    const refunds = refunding.length > 0 ? await db.query<{ payment_id: string; refund_id: string }>(`select payment_id, refund_id from ${tables[TABLE.refunds]} where payment_id = any($1::text[])`, [refunding]) : { rows: [] };
    const states = new Map<string, PaymentAttemptState>();
    for (const r of payments.rows) {
      const payment = paymentFromRow(r);
      states.set(payment.paymentId, { payment, captureIds: [], refundIds: [], newCaptures: [], newRefunds: [], newHistory: [] });
    }
    for (const r of captures.rows) states.get(r.payment_id)?.captureIds.push(r.capture_id);
    for (const r of refunds.rows) states.get(r.payment_id)?.refundIds.push(r.refund_id);
    return states;
  },

  async save(db: Queryable, tables: TableNames, states: ReadonlyMap<string, PaymentAttemptState>) {
    if (states.size === 0) return;
    const all = [...states.values()];
    const updates = PAYMENT_COLUMNS.filter(([column]) => !FIXED_AT_FIRST_EVENT.has(column)).map(([column]) => `${column} = excluded.${column}`);
    await insertRows(db, tables[TABLE.payments]!, PAYMENT_COLUMNS.map(([column, type, field]) => [column, type, (p: PaymentRow) => p[field]] as const), all.map((s) => s.payment), `on conflict (payment_id) do update set ${updates.join(', ')}`);
    // Append-only rows, written once: a replay of the same events never reaches save (the engine dedupes).
    await insertRows<PaymentCaptureRow>(db, tables[TABLE.captures]!, [
      ['payment_id', 'text', (c) => c.paymentId],
      ['capture_id', 'text', (c) => c.captureId],
      ['amount', 'numeric', (c) => c.amount],
      ['captured_at', 'timestamptz', (c) => c.capturedAt],
      ['sequence', 'int', (c) => c.sequence],
    ], all.flatMap((s) => s.newCaptures), 'on conflict do nothing');
    await insertRows<PaymentRefundRow>(db, tables[TABLE.refunds]!, [
      ['payment_id', 'text', (r) => r.paymentId],
      ['refund_id', 'text', (r) => r.refundId],
      ['amount', 'numeric', (r) => r.amount],
      ['reason', 'text', (r) => r.reason],
      ['refunded_at', 'timestamptz', (r) => r.refundedAt],
      ['sequence', 'int', (r) => r.sequence],
    ], all.flatMap((s) => s.newRefunds), 'on conflict do nothing');
    await insertRows<PaymentStatusChangeRow>(db, tables[TABLE.statusHistory]!, [
      ['payment_id', 'text', (h) => h.paymentId],
      ['sequence', 'int', (h) => h.sequence],
      ['event_type', 'text', (h) => h.eventType],
      ['payment_lifecycle_state', 'text', (h) => h.lifecycleState],
      ['occurred_at', 'timestamptz', (h) => h.occurredAt],
    ], all.flatMap((s) => s.newHistory), 'on conflict do nothing');
  },
};
