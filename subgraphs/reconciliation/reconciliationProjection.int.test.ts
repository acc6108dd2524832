import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector, ProjectorOptions } from '../../platform/projection/index.js';
import { createProjector, DEFAULT_ALLOWED_LATENESS_MS, eventTimeWatermark, readSettledWatermark, readWatermarks, rebuildProjection } from '../../platform/projection/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { snapshotContext, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../fulfillment/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC } from '../orders/index.js';
import { PAYMENTS_EVENTS_TOPIC, paymentsContextModule } from '../payments/index.js';
import { acknowledgeException } from './acknowledgements/acknowledgeException.js';
import { createReconciliationLoaders } from './projections/createReconciliationLoaders.js';
import { ORDER_AGREEMENT } from './projections/orderAgreementProjection.js';
import { reconciliationContext } from './reconciliationContext.js';
import { decideOrder } from './rules/decideOrder.js';
import { agreementOf } from './rules/orderAgreement.js';
import type { RuleCode, RuleOwner } from './rules/ruleCatalog.js';
import { RULE_CODES } from './rules/ruleCatalog.js';
import type { OrderStory, ReconciliationFacts, StoryFact, StoryRecord } from './testing/reconciliationFacts.js';
import { at, HOUR, line, MINUTE, reconciliationFacts } from './testing/reconciliationFacts.js';

// The reconciliation projection end to end: order-to-cash histories written by the builder,
// produced to a real (embedded) log, consumed by the projector, settled at the event-time
// watermark, and the exception rows read back. Every story starts at at(0) (hours of event time)
// with 2 × line 1 at 10.00 and 1 × line 2 at 5.00 = 25.00, unless it says otherwise.

const PARTITIONS = 3;
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC, PAYMENTS_EVENTS_TOPIC, FULFILLMENT_EVENTS_TOPIC];
/** snapshotContext settles at the default lateness: the projectors compared with it use it too. */
const LATENESS = DEFAULT_ALLOWED_LATENESS_MS;
const LINES = [line('1', 2, '10.00'), line('2', 1, '5.00')];
const VARIANTS = ['raise', 'inside', 'resolve'] as const;
type Variant = (typeof VARIANTS)[number];

/** Its payments and shipment come first; its OrderPlaced, 2 min after the first of them, is produced last in one interleaving. */
const LATE_ORDER = 'ord-late';
const LATE_AT = at(24 * 20);
/** The clock: an order alone, far in event time, so the watermark passes every deadline of every story. */
const CLOCK_ORDER = 'ord-zz-clock';
const CLOCK_AT = at(24 * 60);
const ACKNOWLEDGED = 'SHIPPED_AFTER_CANCEL:ord-sac-never';
const STEWARD = { id: 'usr-steward-1', name: 'Steward One' };

/** The owners, written out (not read from the catalogue under test). */
const OWNER: Record<RuleCode, RuleOwner> = {
  SHIPPED_NOT_CAPTURED: 'payments',
  CANCELLED_NOT_REFUNDED: 'payments',
  SHIPPED_AFTER_CANCEL: 'fulfillment',
  CAPTURE_EXCEEDS_ORDER: 'payments',
  DELIVERED_AMOUNT_MISMATCH: 'finance',
  OVERSHIPPED_LINE: 'fulfillment',
  AUTHORIZATION_EXPIRED_UNSHIPPED: 'payments',
  ORPHAN_PAYMENT: 'payments',
  ORPHAN_SHIPMENT: 'fulfillment',
};

interface StoryOfEveryRule {
  history: ReconciliationFacts;
  records: StoryRecord[];
  /** The capture above its authorization, which payments (and so reconciliation) quarantines. */
  overCapture: StoryFact;
}

/** Per rule: a history that raises it, one just inside its deadline (or its boundary), one where it resolves; then the quarantine, late and clock stories. */
function storyOfEveryRule(): StoryOfEveryRule {
  const history = reconciliationFacts({ partitions: PARTITIONS });
  const placed = (orderId: string): OrderStory => {
    const order = history.order(orderId);
    order.placed(at(0), LINES);
    return order;
  };
  /** A shipment created 2 h and picked 1 h before its dispatch. */
  const shipped = (shipmentId: string, order: OrderStory | string, dispatchAt: number, lines: Record<string, number> = { 1: 2, 2: 1 }) => {
    const shipment = history.shipment(shipmentId, order);
    shipment.created(dispatchAt - 2 * HOUR, lines);
    shipment.picked(dispatchAt - HOUR);
    shipment.dispatched(dispatchAt);
    return shipment;
  };
  const each = (rule: string, write: (orderId: string, variant: Variant, suffix: string) => void) => {
    for (const variant of VARIANTS) write(`ord-${rule}-${variant}`, variant, `${rule}-${variant}`);
  };

  // SHIPPED_NOT_CAPTURED: dispatched at 3 h, not captured by 27 h; captured at exactly 27 h; captured at 30 h.
  each('snc', (orderId, variant, suffix) => {
    const order = placed(orderId);
    const payment = history.payment(`pay-${suffix}`, order);
    payment.authorized(at(0.2), '25.00');
    shipped(`shp-${suffix}`, order, at(3));
    if (variant === 'inside') payment.captured(at(27), '25.00');
    if (variant === 'resolve') payment.captured(at(30), '25.00');
  });
  // CANCELLED_NOT_REFUNDED: 25.00 captured, cancelled at 10 h; refunded at exactly 58 h; refunded at 60 h.
  each('cnr', (orderId, variant, suffix) => {
    const order = placed(orderId);
    const payment = history.payment(`pay-${suffix}`, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(1), '25.00');
    order.cancelled(at(10));
    if (variant === 'inside') payment.refunded(at(58), '25.00', 'order_cancelled');
    if (variant === 'resolve') payment.refunded(at(60), '25.00', 'order_cancelled');
  });
  // SHIPPED_AFTER_CANCEL: cancelled at 10 h while picked; dispatched at 12 h (refunded); dispatched 1 ms
  // before the cancellation; and it never resolves by itself: refund and delivery leave it open.
  for (const variant of ['raise', 'inside', 'never'] as const) {
    const order = placed(`ord-sac-${variant}`);
    const payment = history.payment(`pay-sac-${variant}`, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(0.5), '25.00');
    const shipment = history.shipment(`shp-sac-${variant}`, order);
    shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    order.cancelled(at(10));
    if (variant === 'inside') {
      shipment.dispatched(at(10) - 1);
    } else {
      shipment.dispatched(at(12));
      payment.refunded(at(20), '25.00', 'order_cancelled');
      // Delivered after a full refund: finance's DELIVERED_AMOUNT_MISMATCH too, at 30 h + 72 h.
      if (variant === 'never') shipment.delivered(at(30));
    }
  }
  // CAPTURE_EXCEEDS_ORDER: 20.00 + 10.00 on two payments; exactly 25.00; 30.00 then 5.00 refunded.
  each('ceo', (orderId, variant, suffix) => {
    const order = placed(orderId);
    const payment = history.payment(`pay-${suffix}`, order);
    if (variant === 'raise') {
      payment.authorized(at(0.2), '20.00');
      payment.captured(at(1), '20.00');
      const second = history.payment(`pay-${suffix}-2`, order, { method: 'gift_card' });
      second.authorized(at(0.3), '10.00');
      second.captured(at(2), '10.00');
    } else if (variant === 'inside') {
      payment.authorized(at(0.2), '25.00');
      payment.captured(at(1), '25.00');
    } else {
      payment.authorized(at(0.2), '30.00');
      payment.captured(at(1), '30.00');
      payment.refunded(at(5), '5.00', 'duplicate_charge');
    }
  });
  // DELIVERED_AMOUNT_MISMATCH: 20.00 of 25.00 captured, delivered in full at 40 h; the rest captured at exactly 112 h; at 120 h.
  each('dam', (orderId, variant, suffix) => {
    const order = placed(orderId);
    const payment = history.payment(`pay-${suffix}`, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(3), '20.00');
    shipped(`shp-${suffix}`, order, at(3)).delivered(at(40));
    if (variant === 'inside') payment.captured(at(112), '5.00');
    if (variant === 'resolve') payment.captured(at(120), '5.00');
  });
  // OVERSHIPPED_LINE: 3 of line 1 dispatched at 5 h; exactly the ordered quantities; 3 dispatched, then line 1 amended to 3.
  each('osl', (orderId, variant, suffix) => {
    const order = placed(orderId);
    const payment = history.payment(`pay-${suffix}`, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(3), '25.00');
    shipped(`shp-${suffix}`, order, at(5), variant === 'inside' ? { 1: 2, 2: 1 } : { 1: 3, 2: 1 });
    if (variant === 'resolve') order.amended(at(6), '1', 3);
  });
  // AUTHORIZATION_EXPIRED_UNSHIPPED: confirmed, authorized until 72 h, nothing shipped; captured at exactly 72 h; cancelled at 80 h.
  each('aeu', (orderId, variant, suffix) => {
    const order = placed(orderId);
    order.confirmed(at(1));
    const payment = history.payment(`pay-${suffix}`, order);
    payment.authorized(at(0.5), '25.00', at(72));
    if (variant === 'inside') payment.captured(at(72), '25.00');
    if (variant === 'resolve') order.cancelled(at(80));
  });
  // ORPHAN_PAYMENT: a payment from 1 h, no order by 25 h; the order placed at exactly 25 h; at 30 h.
  each('op', (orderId, variant, suffix) => {
    const payment = history.payment(`pay-${suffix}`, orderId);
    payment.authorized(at(1), '25.00');
    payment.captured(at(2), '25.00');
    if (variant === 'inside') history.order(orderId).placed(at(25), LINES);
    if (variant === 'resolve') history.order(orderId).placed(at(30), LINES);
  });
  // ORPHAN_SHIPMENT: a shipment from 1 h, no order by 25 h; the order placed at exactly 25 h; at 30 h.
  each('os', (orderId, variant, suffix) => {
    const shipment = history.shipment(`shp-${suffix}`, orderId);
    shipment.created(at(1), { 1: 2 });
    shipment.picked(at(2));
    if (variant === 'inside') history.order(orderId).placed(at(25), LINES);
    if (variant === 'resolve') history.order(orderId).placed(at(30), LINES);
  });

  // Quarantine: a capture of 25.00 on a 20.00 authorization (refused by payments), then a valid one of 20.00.
  const quarantined = placed('ord-quar');
  const payment = history.payment('pay-quar', quarantined);
  payment.authorized(at(0.2), '20.00');
  const overCapture = payment.captured(at(1), '25.00');
  payment.captured(at(2), '20.00');

  // Late: paid, captured, shipped; its OrderPlaced 2 min after its first payment event, before its dispatch.
  const latePayment = history.payment('pay-late', LATE_ORDER);
  latePayment.authorized(LATE_AT, '25.00');
  latePayment.captured(LATE_AT + MINUTE, '25.00');
  shipped('shp-late', LATE_ORDER, LATE_AT + 3 * MINUTE, { 1: 2, 2: 1 });
  history.order(LATE_ORDER).placed(LATE_AT + 2 * MINUTE, LINES);

  history.order(CLOCK_ORDER).placed(CLOCK_AT, LINES);
  return { history, records: history.records(), overCapture };
}

const iso = (ms: number) => new Date(ms).toISOString();

interface ExpectedException {
  exception_id: string;
  order_id: string;
  rule: RuleCode;
  owner: RuleOwner;
  state: 'OPEN' | 'RESOLVED';
  opened_at: string;
  resolved_at: string | null;
}

const exception = (rule: RuleCode, orderId: string, openedAt: number, resolvedAt: number | null = null, subject = ''): ExpectedException => ({
  exception_id: subject === '' ? `${rule}:${orderId}` : `${rule}:${orderId}:${subject}`,
  order_id: orderId,
  rule,
  owner: OWNER[rule],
  state: resolvedAt === null ? 'OPEN' : 'RESOLVED',
  opened_at: iso(openedAt),
  resolved_at: resolvedAt === null ? null : iso(resolvedAt),
});

/** Every exception of the story of every rule, once the watermark has passed every deadline: nothing else. */
const EXPECTED: ExpectedException[] = [
  exception('SHIPPED_NOT_CAPTURED', 'ord-snc-raise', at(27)),
  exception('SHIPPED_NOT_CAPTURED', 'ord-snc-resolve', at(27), at(30)),
  exception('CANCELLED_NOT_REFUNDED', 'ord-cnr-raise', at(58)),
  exception('CANCELLED_NOT_REFUNDED', 'ord-cnr-resolve', at(58), at(60)),
  exception('SHIPPED_AFTER_CANCEL', 'ord-sac-raise', at(12)),
  exception('SHIPPED_AFTER_CANCEL', 'ord-sac-never', at(12)),
  exception('DELIVERED_AMOUNT_MISMATCH', 'ord-sac-never', at(30 + 72)),
  exception('CAPTURE_EXCEEDS_ORDER', 'ord-ceo-raise', at(2)),
  exception('CAPTURE_EXCEEDS_ORDER', 'ord-ceo-resolve', at(1), at(5)),
  exception('DELIVERED_AMOUNT_MISMATCH', 'ord-dam-raise', at(112)),
  exception('DELIVERED_AMOUNT_MISMATCH', 'ord-dam-resolve', at(112), at(120)),
  exception('OVERSHIPPED_LINE', 'ord-osl-raise', at(5)),
  exception('OVERSHIPPED_LINE', 'ord-osl-resolve', at(5), at(6)),
  exception('AUTHORIZATION_EXPIRED_UNSHIPPED', 'ord-aeu-raise', at(72), null, 'pay-aeu-raise'),
  exception('AUTHORIZATION_EXPIRED_UNSHIPPED', 'ord-aeu-resolve', at(72), at(80), 'pay-aeu-resolve'),
  exception('ORPHAN_PAYMENT', 'ord-op-raise', at(25)),
  exception('ORPHAN_PAYMENT', 'ord-op-resolve', at(25), at(30)),
  exception('ORPHAN_SHIPMENT', 'ord-os-raise', at(25)),
  exception('ORPHAN_SHIPMENT', 'ord-os-resolve', at(25), at(30)),
].sort((a, b) => (a.exception_id < b.exception_id ? -1 : 1));

/** Produces records in the order given, a run of one topic at a time (per-partition order is the order given). */
async function produce(log: EventLog, records: readonly StoryRecord[]): Promise<void> {
  let start = 0;
  for (let i = 1; i <= records.length; i++) {
    if (i === records.length || records[i]!.topic !== records[start]!.topic) {
      await log.produce(records[start]!.topic, records.slice(start, i).map((r) => ({ key: r.key, value: r.value })));
      start = i;
    }
  }
}

async function createLog(): Promise<EventLog> {
  const log = createEmbeddedEventLog({ defaultPartitions: PARTITIONS, retry: { baseMs: 10, maxMs: 50, jitter: 'full' } });
  await log.ensureTopics(TOPICS.map((name) => ({ name, partitions: PARTITIONS })));
  return log;
}

/** Dates as ISO strings, for equality checks. */
const normalise = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The log, with a topic's batches refused (the consumer retries them) while `held` names it: records stay unconsumed. */
function holdingLog(inner: EventLog, held: ReadonlySet<string>): EventLog {
  return {
    kind: inner.kind,
    ensureTopics: (topics) => inner.ensureTopics(topics),
    produce: (topic, records) => inner.produce(topic, records),
    endOffsets: (topic) => inner.endOffsets(topic),
    readRanges: (topic, ranges, handle) => inner.readRanges(topic, ranges, handle),
    close: () => inner.close(),
    subscribe: (options) =>
      inner.subscribe({
        ...options,
        handleBatch: async (batch) => {
          if (held.has(batch.topic)) throw new HeldBack(`${batch.topic}/${batch.partition} is held`);
          await options.handleBatch(batch);
        },
      }),
  };
}

class HeldBack extends Error {}

describe.each(bothDatabases)('reconciliation projection on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  const schemas: string[] = [];
  const errors: unknown[] = [];
  const story = storyOfEveryRule();
  let mainLog: EventLog;
  let main: string;

  const t = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const start = async (log: EventLog, prefix: string, options: ProjectorOptions = {}) => {
    const schema = uniqueName(prefix);
    schemas.push(schema);
    const projector = createProjector({ log, db }, reconciliationContext, { schema, partitions: PARTITIONS, allowedLatenessMs: LATENESS, onError: (e) => errors.push(e), ...options });
    projectors.push(projector);
    await projector.start();
    return { schema, projector };
  };
  const exceptionsOf = async (schema: string, orderId?: string) =>
    (
      await db.query(
        `select exception_id, order_id, rule, owner, state, opened_at, resolved_at from ${t(schema, 'reconciliation_exceptions')} where $1::text is null or order_id = $1 order by exception_id`,
        [orderId ?? null],
      )
    ).rows.map(normalise);
  const allExceptionColumns = async (schema: string) => (await db.query(`select * from ${t(schema, 'reconciliation_exceptions')} order by exception_id`)).rows.map(normalise);

  beforeAll(async () => {
    db = await openDb();
    mainLog = await createLog();
    await produce(mainLog, story.records);
    const { schema, projector } = await start(mainLog, 'recon_main');
    main = schema;
    await waitUntilCaughtUp(db, mainLog, main, TOPICS);
    await projector.settle();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    for (const schema of schemas) await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await db.close();
  });

  it('given a history per rule that raises it, one just inside its deadline and one where it resolves, when consumed and settled past every deadline, then exactly the expected exceptions, with their owners and event times', async () => {
    expect(await readSettledWatermark(db, main, ORDER_AGREEMENT)).toEqual(new Date(CLOCK_AT - LATENESS));
    const rows = await exceptionsOf(main);
    expect(rows).toEqual(EXPECTED);
    expect(new Set(rows.map((r) => r.rule))).toEqual(new Set(RULE_CODES));
    for (const rule of ['snc', 'cnr', 'sac', 'ceo', 'dam', 'osl', 'aeu', 'op', 'os']) expect(await exceptionsOf(main, `ord-${rule}-inside`), `ord-${rule}-inside`).toEqual([]);

    // Every column, evidence and agreement included, is what the rules decide from the same facts
    // at the same watermark: the log positions they cite are those the records were read at.
    const watermark = CLOCK_AT - LATENESS;
    const facts = story.history.storedFacts().filter((f) => f.event.eventId !== story.overCapture.event.eventId);
    const orderIds = [...new Set(facts.map((f) => f.event.correlationId))].sort();
    const decided = orderIds.map((orderId) => ({ orderId, facts: facts.filter((f) => f.event.correlationId === orderId) }));
    const expectedRows = decided
      .flatMap(({ orderId, facts: mine }) => decideOrder(orderId, mine, watermark).exceptions)
      .map((e) => ({
        exception_id: e.exceptionId, order_id: e.orderId, rule: e.rule, subject: e.subject, owner: e.owner, severity: e.severity, state: e.state,
        opened_at: iso(e.openedAt), last_opened_at: iso(e.lastOpenedAt), open_count: e.openCount, deadline_at: e.deadlineAt === null ? null : iso(e.deadlineAt),
        resolved_at: e.resolvedAt === null ? null : iso(e.resolvedAt), resolved_by: e.resolvedBy, evidence: e.evidence,
      }))
      .sort((a, b) => (a.exception_id < b.exception_id ? -1 : 1));
    expect(await allExceptionColumns(main)).toEqual(expectedRows);
    const agreements = (await db.query(`select order_id, settled, next_decision_at, agreement from ${t(main, 'order_agreements')} order by order_id`)).rows.map(normalise);
    expect(agreements).toEqual(
      decided.map(({ orderId, facts: mine }) => {
        const next = decideOrder(orderId, mine, watermark).nextDecisionAt;
        return { order_id: orderId, settled: true, next_decision_at: next === null ? null : iso(next), agreement: agreementOf(orderId, mine) };
      }),
    );
    expect(errors).toEqual([]);
  });

  it('given orders, payments and shipments carrying personal data, when ingested, then no email, customer id, address, card holder or signer is stored in reconciliation tables (the raw evidence has them)', async () => {
    const placedOrders = story.history.facts().flatMap((f) => (f.event.type === 'OrderPlaced' ? [f.event.aggregateId] : []));
    expect(placedOrders.length).toBeGreaterThan(20);
    const personal = [
      ...placedOrders.flatMap((orderId) => [`customer.${orderId}@example.com`, `cus-${orderId}`]),
      '12 Rue de la République', 'Lyon', '69002', // order shipping address, shipment shipTo
      'Ada Lovelace', // card holder, shipTo name
      'Grace Hopper', // signedBy
    ];
    const { rows: raw } = await db.query<{ record_value: Uint8Array }>(`select record_value from ${t(main, 'raw_events')}`);
    const rawText = raw.map((r) => Buffer.from(r.record_value).toString('utf8')).join('\n');
    for (const value of personal) expect(rawText, `the raw evidence should hold ${value}, or the search below proves nothing`).toContain(value);

    const { rows: events } = await db.query<{ text: string }>(`select event::text as text from ${t(main, 'reconciliation_events')}`);
    expect(events).toHaveLength(story.records.length - 1);
    const texts = events.map((e) => e.text);
    // The other two tables carry no event data; searched all the same.
    for (const table of ['order_agreements', 'reconciliation_exceptions']) {
      const { rows } = await db.query<{ text: string }>(`select x::text as text from ${t(main, table)} x`);
      texts.push(...rows.map((r) => r.text));
    }
    const stored = texts.join('\n');
    expect(personal.filter((value) => stored.includes(value))).toEqual([]);
    // What the rules read is kept: the country, the card brand, that the parcel was delivered.
    expect(stored).toContain('"country": "FR"');
    expect(stored).toContain('"brand": "visa"');
    expect(stored).toContain('"signedBy": null');
  });

  it('given a capture above its authorization, then it is quarantined here as the payments context quarantines it, with the owner\'s reason, and it counts for no rule', async () => {
    const ownerSchema = uniqueName('recon_owner_payments');
    schemas.push(ownerSchema);
    const owner = createProjector({ log: mainLog, db }, paymentsContextModule.ingestion, { schema: ownerSchema, partitions: PARTITIONS, onError: (e) => errors.push(e) });
    projectors.push(owner);
    await owner.start();
    await waitUntilCaughtUp(db, mainLog, ownerSchema, [PAYMENTS_EVENTS_TOPIC]);
    await owner.stop();

    const quarantineOf = async (schema: string) =>
      (await db.query<{ topic: string; partition: number; record_offset: number; reason_code: string; reason: string }>(
        `select topic, partition, record_offset::int as record_offset, reason_code, reason from ${t(schema, 'quarantine')} order by topic, partition, record_offset`,
      )).rows;
    const byOwner = await quarantineOf(ownerSchema);
    expect(byOwner).toEqual([{ topic: PAYMENTS_EVENTS_TOPIC, partition: story.overCapture.origin.partition, record_offset: story.overCapture.origin.offset, reason_code: 'IMPOSSIBLE_TRANSITION', reason: expect.stringMatching(/above the authorized 20\.00 EUR/) }]);
    expect(await quarantineOf(main)).toEqual([{ ...byOwner[0]!, reason: `${byOwner[0]!.reason} (the payments context's rule, applied here as there)` }]);

    const { rows } = await db.query<{ event_id: string }>(`select event_id from ${t(main, 'reconciliation_events')} where order_id = 'ord-quar' order by aggregate_id, sequence`);
    expect(rows.map((r) => r.event_id)).not.toContain(story.overCapture.event.eventId);
    expect(rows).toHaveLength(3);
    // Counted, the 25.00 capture would take 45.00 captured above the 25.00 order.
    expect(await exceptionsOf(main, 'ord-quar')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('given an acknowledged exception, when the projection is rebuilt from the log, then parity holds, the exceptions are identical and the acknowledgement stays with its exception', async () => {
    await acknowledgeException(db, main, t(main, 'reconciliation_exceptions'), STEWARD, ACKNOWLEDGED, 'Parcel recalled from the carrier; customer informed.');
    const acknowledged = async () => {
      const record = await createReconciliationLoaders(db, main, null).exceptionById.load(ACKNOWLEDGED);
      return { state: record?.state, openCount: record?.openCount, note: record?.acknowledgement?.note, by: record?.acknowledgement?.acknowledgedBy };
    };
    const expectedAcknowledgement = { state: 'ACKNOWLEDGED', openCount: 1, note: 'Parcel recalled from the carrier; customer informed.', by: STEWARD.name };
    expect(await acknowledged()).toEqual(expectedAcknowledgement);
    const before = await allExceptionColumns(main);
    const agreementsBefore = (await db.query(`select * from ${t(main, 'order_agreements')} order by order_id`)).rows.map(normalise);

    const report = await rebuildProjection({ log: mainLog, db }, reconciliationContext, ORDER_AGREEMENT, { schema: main });
    expect(report.parity.filter((p) => p.missingInShadow + p.extraInShadow > 0 || p.liveRows !== p.shadowRows)).toEqual([]);
    expect(report.parity.find((p) => p.table === 'reconciliation_exceptions')).toMatchObject({ liveRows: EXPECTED.length, shadowRows: EXPECTED.length });
    expect(report).toMatchObject({ parityOk: true, swapped: true, events: story.records.length, quarantinedDuringReplay: 1 });

    expect(await allExceptionColumns(main)).toEqual(before);
    expect((await db.query(`select * from ${t(main, 'order_agreements')} order by order_id`)).rows.map(normalise)).toEqual(agreementsBefore);
    expect(await acknowledged()).toEqual(expectedAcknowledgement);
    const { rows } = await db.query(`select exception_id, open_count, acknowledged_by_id from ${t(main, 'exception_acknowledgements')}`);
    expect(rows).toEqual([{ exception_id: ACKNOWLEDGED, open_count: 1, acknowledged_by_id: STEWARD.id }]);
  });

  it('given the same records in three cross-topic interleavings, then identical exceptions and agreements, and an OrderPlaced consumed after its payments and shipments raises no orphan', async () => {
    const { records } = story;
    const topic = (...names: string[]) => records.filter((r) => names.includes(r.topic));
    const roundRobin: StoryRecord[] = [];
    const queues = [ORDERS_EVENTS_TOPIC, PAYMENTS_EVENTS_TOPIC, FULFILLMENT_EVENTS_TOPIC].map((name) => topic(name));
    for (let i = 0; roundRobin.length < records.length; i++) for (const queue of queues) if (queue[i]) roundRobin.push(queue[i]!);
    const chunks = (list: StoryRecord[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

    const run = async (prefix: string, stages: StoryRecord[][], options: ProjectorOptions, afterStage?: (stage: number, schema: string, projector: Projector) => Promise<void>) => {
      expect(stages.flat()).toHaveLength(records.length);
      const log = await createLog();
      const { schema, projector } = await start(log, prefix, options);
      for (const [index, stage] of stages.entries()) {
        await produce(log, stage);
        await waitUntilCaughtUp(db, log, schema, TOPICS);
        await afterStage?.(index, schema, projector);
      }
      await projector.settle();
      return { schema, snapshot: await snapshotContext(db, schema, reconciliationContext) };
    };

    const ordersFirst = await run('recon_orders_first', [topic(ORDERS_EVENTS_TOPIC), topic(PAYMENTS_EVENTS_TOPIC), topic(FULFILLMENT_EVENTS_TOPIC)], { partitionConcurrency: 1 });
    const ordersLast = await run('recon_orders_last', [topic(PAYMENTS_EVENTS_TOPIC, FULFILLMENT_EVENTS_TOPIC), topic(ORDERS_EVENTS_TOPIC)], {}, async (stage, schema, projector) => {
      if (stage !== 0) return;
      // Every payment and shipment consumed, no order yet. The watermark stands the lateness behind
      // the late story's last event: its orphan deadlines (24 h on) are far ahead, its OrderPlaced
      // (2 min after its first payment event) is within the allowed lateness. The other stories'
      // orders, days behind in event time, come later than the lateness allows: their orphans open
      // now, and go when the orders arrive (see the final comparison).
      await projector.settle();
      const watermark = await readSettledWatermark(db, schema, ORDER_AGREEMENT);
      expect(watermark).toEqual(new Date(LATE_AT + 3 * MINUTE - LATENESS));
      expect(watermark!.getTime()).toBeLessThanOrEqual(LATE_AT + 2 * MINUTE);
      expect(await exceptionsOf(schema, LATE_ORDER)).toEqual([]);
      expect(await exceptionsOf(schema, 'ord-ceo-inside')).toEqual([exception('ORPHAN_PAYMENT', 'ord-ceo-inside', at(0.2 + 24))]);
    });
    // Small batches: batch boundaries fall elsewhere too.
    const interleaved = await run('recon_round_robin', chunks(roundRobin, 16), { batchSize: 3 });

    expect(ordersLast.snapshot).toEqual(ordersFirst.snapshot);
    expect(interleaved.snapshot).toEqual(ordersFirst.snapshot);
    // And the run that found every record already in the log (its projection rebuilt since).
    expect(await snapshotContext(db, main, reconciliationContext)).toEqual(ordersFirst.snapshot);
    for (const { schema } of [ordersFirst, ordersLast, interleaved]) {
      expect(await exceptionsOf(schema)).toEqual(EXPECTED);
      expect((await exceptionsOf(schema, LATE_ORDER)).filter((e) => String(e.rule).startsWith('ORPHAN_'))).toEqual([]);
    }
    expect(errors).toEqual([]);
  });

  it('given a topic without traffic and a partition with records not yet consumed, then the first does not hold the watermark back and the second does', async () => {
    const LATE_BY = HOUR;
    const history = reconciliationFacts({ partitions: PARTITIONS, idSpace: '0000aaaa' });
    const order = history.order('ord-wm');
    order.placed(at(0), LINES);
    const payment = history.payment('pay-wm', order);
    payment.authorized(at(0.5), '25.00');
    const shipment = history.shipment('shp-wm', order);
    shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    // Then: the capture at 30 h (3 h after the SHIPPED_NOT_CAPTURED deadline), and an order far ahead.
    const captured = payment.captured(at(30), '25.00');
    history.order('ord-wm-clock').placed(at(100), LINES);
    const records = history.records();

    const held = new Set<string>();
    const log = holdingLog(await createLog(), held);
    const { schema, projector } = await start(log, 'recon_watermark', { allowedLatenessMs: LATE_BY, onError: (e) => { if (!(e instanceof HeldBack)) errors.push(e); } });
    const progress = () => readWatermarks(db, schema, { log, projection: ORDER_AGREEMENT });

    await produce(log, records.slice(0, -2));
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    await projector.settle();
    // legacy.oms.cdc never had a record, nor had most partitions: left out, they do not hold the watermark at null.
    const legacy = (await progress()).filter((p) => p.topic === LEGACY_OMS_CDC_TOPIC);
    expect(legacy.map((p) => [p.nextOffset, p.logEndOffset, p.maxEventTime])).toEqual(Array.from({ length: PARTITIONS }, () => [0, 0, null]));
    expect(await readSettledWatermark(db, schema, ORDER_AGREEMENT)).toEqual(new Date(at(3) - LATE_BY));

    held.add(PAYMENTS_EVENTS_TOPIC);
    await produce(log, records.slice(-2));
    const heldPartition = captured.origin.partition;
    await waitFor('every partition but the held one caught up', async () => (await progress()).every((p) => p.nextOffset === p.logEndOffset || (p.topic === PAYMENTS_EVENTS_TOPIC && p.partition === heldPartition)));
    await projector.settle();
    const busy = (await progress()).filter((p) => p.nextOffset < p.logEndOffset);
    expect(busy.map((p) => [p.topic, p.partition, p.maxEventTime])).toEqual([[PAYMENTS_EVENTS_TOPIC, heldPartition, new Date(at(0.5))]]);
    // The held partition's greatest applied event time (the authorization) bounds the watermark,
    // though the order 100 h on is consumed: the stored watermark does not move, nothing is decided.
    expect(eventTimeWatermark(await progress(), LATE_BY)).toEqual(new Date(at(0.5) - LATE_BY));
    expect(await readSettledWatermark(db, schema, ORDER_AGREEMENT)).toEqual(new Date(at(3) - LATE_BY));
    expect(await exceptionsOf(schema)).toEqual([]);

    held.delete(PAYMENTS_EVENTS_TOPIC);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    await projector.settle();
    expect(await readSettledWatermark(db, schema, ORDER_AGREEMENT)).toEqual(new Date(at(100) - LATE_BY));
    // Released, the capture counts: opened at the deadline (27 h), resolved by the capture (30 h).
    expect(await exceptionsOf(schema)).toEqual([exception('SHIPPED_NOT_CAPTURED', 'ord-wm', at(27), at(30))]);
    expect(errors).toEqual([]);
  });
});
