import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, listQuarantine, readWatermarks } from '../../platform/projection/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { PaymentHistory } from './index.js';
import { decodePaymentRecord, PAYMENTS_EVENTS_TOPIC, paymentsContextModule, poisonPaymentRecord, renderPaymentEvents } from './index.js';
import { authorized, authorizedData, captured, declined, eventTime, failed, fraudChecked, HOLDER_NAME, paymentEvent, PSP_REFERENCE, refunded, voided } from './testing/paymentEvents.js';

const TOPICS = [PAYMENTS_EVENTS_TOPIC];
const onTopic = (...records: Array<{ key: string; value: string | null }>): SimulatedRecord[] => records.map((r) => ({ topic: PAYMENTS_EVENTS_TOPIC, key: r.key, value: r.value, at: 0 }));

/** A re-authorization: the first attempt expires, the second (a new payment id) is captured. */
const reauthorization = (n: number, at: number): PaymentHistory[] => [
  { paymentId: `pay-r-${n}`, orderId: 'ord-r', currency: 'EUR', method: 'card', card: { brand: 'visa', last4: '0004', holderName: HOLDER_NAME }, pspReference: PSP_REFERENCE, authorizationExpiresAt: at + 1000, steps: [{ kind: 'authorize', at, amount: '50.00' }, { kind: 'fail', at: at + 2000, failureCode: 'authorization_expired' }] },
  { paymentId: `pay-r-${n + 1}`, orderId: 'ord-r', currency: 'EUR', method: 'wallet', card: null, pspReference: 'PSP-W', authorizationExpiresAt: at + 86_400_000, steps: [{ kind: 'authorize', at: at + 3000, amount: '50.00' }, { kind: 'capture', at: at + 4000, captureId: 'cap-1', amount: '50.00' }] },
];

describe.each(bothDatabases)('payments ingestion on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  const schemas: string[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    for (const schema of schemas) await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
  });
  const start = async (log: EventLog, schema: string) => {
    schemas.push(schema);
    const projector = createProjector({ log, db }, paymentsContextModule.ingestion, { schema, partitions: 1, batchSize: 7, gapBound: 5, onError: () => undefined });
    projectors.push(projector);
    await projector.start();
    return projector;
  };
  const rows = async (schema: string, table: string, order: string) => (await db.query(`select * from "${schema}"."${table}" order by ${order}`)).rows;
  const count = async (schema: string, table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from "${schema}"."${table}"`)).rows[0]!.n;

  it('given normal flows, impossible transitions and broken records (and no order ever seen), then each impossible input is quarantined with its reason and nothing is lost', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('payments_ingest');
    const prng = createPrng(5);
    const poisonNear = onTopic(captured('pay-p', 2, 'cap-1', '1.00'))[0]!;
    const poisons = new Map<string, SimulatedRecord>();
    // One of each kind a producer breaks records in (the PRNG picks; stop once all five are in).
    const POISON_KINDS = ['MALFORMED_JSON', 'INVALID_PAYLOAD', 'UNKNOWN_EVENT_TYPE', 'KEY_MISMATCH', 'INVALID_ENVELOPE'];
    for (let i = 0; poisons.size < POISON_KINDS.length && i < 200; i++) {
      const poison = poisonPaymentRecord(poisonNear, prng);
      const decoded = decodePaymentRecord({ topic: poison.topic, partition: 0, offset: 0, key: Buffer.from(poison.key), value: poison.value === null ? null : Buffer.from(poison.value), headers: {}, timestamp: 0 });
      if (decoded.kind === 'rejected') poisons.set(decoded.rejection.code, poison);
    }
    const records: SimulatedRecord[] = [
      // Normal flows. A split shipment captured in two parts, then a refund.
      ...onTopic(authorized('pay-n1', { orderId: 'ord-n' }), fraudChecked('pay-n1', 2), captured('pay-n1', 3, 'cap-1', '60.00'), captured('pay-n1', 4, 'cap-2', '40.00'), refunded('pay-n1', 5, 'ref-1', '30.00')),
      ...onTopic(declined('pay-n2', 'ord-n', '12.00'), authorized('pay-n3', { orderId: 'ord-n', method: 'bank_transfer', card: null }), voided('pay-n3', 2)),
      ...reauthorization(1, Date.UTC(2026, 0, 1, 12)).flatMap((h) => renderPaymentEvents(h, prng)),
      // Arrival order is not sequence order: the refund comes before the capture it refunds.
      ...onTopic(authorized('pay-o'), refunded('pay-o', 3, 'ref-1', '80.00'), captured('pay-o', 2, 'cap-1', '80.00')),
      // Impossible transitions, one payment each.
      ...onTopic(authorized('pay-x1'), captured('pay-x1', 2, 'cap-1', '60.00'), captured('pay-x1', 3, 'cap-2', '50.00')),
      ...onTopic(authorized('pay-x2'), captured('pay-x2', 2, 'cap-1', '10.00'), refunded('pay-x2', 3, 'ref-1', '20.00')),
      ...onTopic(authorized('pay-x3'), voided('pay-x3', 2), captured('pay-x3', 3, 'cap-1', '1.00')),
      ...onTopic(authorized('pay-x4'), voided('pay-x4', 2), refunded('pay-x4', 3, 'ref-1', '1.00')),
      ...onTopic(declined('pay-x5'), captured('pay-x5', 2, 'cap-1', '1.00')),
      ...onTopic(authorized('pay-x6'), failed('pay-x6', 2), refunded('pay-x6', 3, 'ref-1', '1.00')),
      ...onTopic(authorized('pay-x7'), captured('pay-x7', 2, 'cap-1', '1.00'), voided('pay-x7', 3)),
      ...onTopic(captured('pay-x8', 1, 'cap-1', '1.00')),
      ...onTopic(authorized('pay-x9', { authorizationExpiresAt: '2026-01-01T12:00:01.000Z' }), captured('pay-x9', 2, 'cap-1', '1.00')),
      ...onTopic(authorized('pay-x10'), failed('pay-x10', 2), fraudChecked('pay-x10', 3)),
      // Its authorization never arrives: the capture waits, then gives up after the gap bound.
      ...onTopic(captured('pay-g', 2, 'cap-1', '1.00')),
      // Broken records, carrying a card holder's name where one can.
      ...POISON_KINDS.map((kind) => poisons.get(kind)!),
      ...onTopic(paymentEvent('pay-b1', 1, 'PaymentAuthorized', authorizedData({ method: 'crypto' }))),
      // Still applied: nothing above blocked the partition (and it is past the gap bound of pay-g).
      ...onTopic(...Array.from({ length: 6 }, (_, i) => authorized(`pay-z${i}`))),
    ];
    await produceAll(log, records);
    await start(log, schema);
    await waitUntilCaughtUp(db, log, schema, TOPICS);

    expect(await count(schema, 'raw_events')).toBe(records.length);
    const quarantine = await listQuarantine(db, schema, { payload: 'original', limit: 1000 });
    const impossible = quarantine.filter((q) => q.reasonCode === 'IMPOSSIBLE_TRANSITION').map((q) => `${q.key}: ${q.reason}`);
    expect(impossible).toEqual([
      'pay-x1: PaymentCaptured #3 for pay-x1 (capture cap-2 of 50.00 EUR) would take the captured sum to 110.00 EUR, above the authorized 100.00 EUR',
      'pay-x2: PaymentRefunded #3 for pay-x2 (refund ref-1 of 20.00 EUR) would take the refunded sum to 20.00 EUR, above the captured 10.00 EUR',
      `pay-x3: PaymentCaptured #3 for pay-x3 (capture cap-1) after PaymentVoided at ${eventTime(2)}: the authorization was released`,
      `pay-x4: PaymentRefunded #3 for pay-x4 (refund ref-1) after PaymentVoided at ${eventTime(2)}: nothing was captured to refund`,
      `pay-x5: PaymentCaptured #2 for pay-x5 after PaymentFailed (declined at ${eventTime(1)}): a failed payment is terminal`,
      `pay-x6: PaymentRefunded #3 for pay-x6 after PaymentFailed (processor_error at ${eventTime(2)}): a failed payment is terminal`,
      'pay-x7: PaymentVoided #3 for pay-x7 after a capture (1.00 EUR captured): only an authorization with nothing captured can be voided',
      'pay-x8: PaymentCaptured #1 for pay-x8 before its PaymentAuthorized or PaymentFailed: a payment attempt starts by being authorized or declined',
      `pay-x9: PaymentCaptured #2 for pay-x9 (capture cap-1) dated ${eventTime(2)}, after the authorization expired at 2026-01-01T12:00:01.000Z`,
      `pay-x10: FraudCheckCompleted #3 for pay-x10 after PaymentFailed (processor_error at ${eventTime(2)}): a failed payment is terminal`,
    ]);
    const gap = quarantine.filter((q) => q.reasonCode === 'SEQUENCE_GAP_EXPIRED');
    expect(gap.map((q) => q.key)).toEqual(['pay-g']);
    expect(quarantine.filter((q) => !['IMPOSSIBLE_TRANSITION', 'SEQUENCE_GAP_EXPIRED'].includes(q.reasonCode)).map((q) => q.reasonCode)).toEqual(['MALFORMED_JSON', 'INVALID_PAYLOAD', 'UNKNOWN_EVENT_TYPE', 'KEY_MISMATCH', 'INVALID_ENVELOPE', 'INVALID_PAYLOAD']);
    expect(quarantine.find((q) => q.key === 'pay-b1')!.reason).toMatch(/data\.method: .* \(received "crypto"\)/);
    for (const q of quarantine) expect(q.reason).not.toMatch(new RegExp(`${HOLDER_NAME}|${PSP_REFERENCE}`));

    // Nothing lost: every record is applied, a duplicate, or quarantined.
    const [mark] = await readWatermarks(db, schema);
    expect(mark!.appliedCount + mark!.quarantinedCount + mark!.duplicateCount).toBe(records.length);
    expect(mark).toMatchObject({ nextOffset: records.length, quarantinedCount: quarantine.length, duplicateCount: 0, parkedNow: 0 });

    const payments = await rows(schema, 'payments', 'payment_id');
    const byId = new Map(payments.map((p) => [String(p.payment_id), p]));
    expect(byId.get('pay-n1')).toMatchObject({ order_id: 'ord-n', authorized_amount: '100.00', captured_amount: '100.00', refunded_amount: '30.00', payment_lifecycle_state: 'partially_refunded', fraud_outcome: 'passed', card_holder_name: HOLDER_NAME });
    expect(byId.get('pay-n2')).toMatchObject({ order_id: 'ord-n', requested_amount: '12.00', authorized_amount: null, method: null, payment_lifecycle_state: 'failed', failure_code: 'declined' });
    expect(byId.get('pay-n3')).toMatchObject({ method: 'bank_transfer', card_brand: null, payment_lifecycle_state: 'voided' });
    expect([byId.get('pay-r-1'), byId.get('pay-r-2')].map((p) => [p!.order_id, p!.payment_lifecycle_state, p!.failure_code])).toEqual([['ord-r', 'failed', 'authorization_expired'], ['ord-r', 'captured', null]]);
    // Judged in sequence order: the refund that arrived first applied after its capture.
    expect(byId.get('pay-o')).toMatchObject({ captured_amount: '80.00', refunded_amount: '80.00', payment_lifecycle_state: 'refunded', last_sequence: 3 });
    // What the impossible events left: the state before them.
    expect(byId.get('pay-x1')).toMatchObject({ captured_amount: '60.00', payment_lifecycle_state: 'partially_captured', last_sequence: 2 });
    expect(byId.has('pay-x8')).toBe(false);
    expect(byId.has('pay-g')).toBe(false);
    expect(byId.has('pay-z5')).toBe(true);

    const captures = (await rows(schema, 'payment_captures', 'payment_id, sequence')).filter((c) => c.payment_id === 'pay-n1');
    expect(captures.map((c) => [c.capture_id, c.amount, (c.captured_at as Date).toISOString(), c.sequence])).toEqual([['cap-1', '60.00', eventTime(3), 3], ['cap-2', '40.00', eventTime(4), 4]]);
    const refunds = (await rows(schema, 'payment_refunds', 'payment_id, sequence')).filter((r) => r.payment_id === 'pay-n1');
    expect(refunds.map((r) => [r.refund_id, r.amount, r.reason, (r.refunded_at as Date).toISOString()])).toEqual([['ref-1', '30.00', 'returned', eventTime(5)]]);
    const historyOf = (await rows(schema, 'payment_status_history', 'payment_id, sequence')).filter((h) => h.payment_id === 'pay-n1');
    expect(historyOf.map((h) => [h.sequence, h.event_type, h.payment_lifecycle_state])).toEqual([
      [1, 'PaymentAuthorized', 'authorized'], [2, 'FraudCheckCompleted', 'authorized'], [3, 'PaymentCaptured', 'partially_captured'], [4, 'PaymentCaptured', 'captured'], [5, 'PaymentRefunded', 'partially_refunded'],
    ]);

    // The listing operators see: declared fields readable, the card holder and the PSP reference nowhere.
    const listed = await listQuarantine(db, schema, { context: paymentsContextModule.ingestion, limit: 1000 });
    expect(listed).toHaveLength(quarantine.length);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(HOLDER_NAME);
    expect(text).not.toContain(PSP_REFERENCE);
    const crypto = listed.find((q) => q.key === 'pay-b1')!;
    expect(JSON.parse(crypto.value!)).toMatchObject({ type: 'PaymentAuthorized', data: { orderId: 'ord-1', amount: '100.00', method: 'crypto', pspReference: `<redacted string, ${PSP_REFERENCE.length} chars>`, card: { holderName: `<redacted string, ${HOLDER_NAME.length} chars>` } } });
  });
});
