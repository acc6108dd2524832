import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { Projector, QuarantinedRecord } from '../../platform/projection/index.js';
import { createProjector, listQuarantine } from '../../platform/projection/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent } from '../../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

// Personal data planted in the inputs. None of it may appear anywhere in a redacted listing.
const PII = [
  'jane.doe@example.com', 'Jane Doe', '221B Baker Street', 'Baker Street', 'London', 'NW1 6XE', 'cus-jane',
  'john.smith@example.org', '742 Evergreen Terrace', 'Springfield', 'cus-john',
  'mary.major@example.net', 'Mary Major', '1600 Pennsylvania Avenue', 'Washington', '20500', 'cus-mary',
];

const placedWith = (id: string, customer: { customerId: string; customerEmail: string; line1: string; city: string; postalCode: string }, { currency = 'EUR', sequence = 1 } = {}) =>
  orderEvent(id, sequence, 'OrderPlaced', {
    customerId: customer.customerId,
    channel: 'web',
    currency,
    lines: [{ lineId: '1', sku: 'SKU-RED', quantity: 2, unitPrice: '10.00' }],
    customerEmail: customer.customerEmail,
    shippingAddress: { line1: customer.line1, city: customer.city, postalCode: customer.postalCode, country: 'GB' },
  });
const jane = { customerId: 'cus-jane', customerEmail: 'jane.doe@example.com', line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE' };
const john = { customerId: 'cus-john', customerEmail: 'john.smith@example.org', line1: '742 Evergreen Terrace', city: 'Springfield', postalCode: '97403' };
const legacyHeader = { ORDER_ID: 'legacy-q1', CUST_ID: 'cus-mary', STATUS_CD: 1, CHANNEL_CD: 'W', CURRENCY: 'dollars', TOTAL_AMT: '25.00', EMAIL: 'mary.major@example.net', SHIP_LINE1: '1600 Pennsylvania Avenue', SHIP_CITY: 'Washington', SHIP_ZIP: '20500', SHIP_CTRY: 'US', CANCEL_RSN: null, UPD_TS: Date.UTC(2026, 0, 1) };

/** Every input, as produced: the `original` listing must return exactly these bytes. */
const INPUTS = {
  // Applied: it makes the second OrderPlaced of ord-q1 semantically impossible.
  valid: { topic: ORDERS_EVENTS_TOPIC, ...placedWith('ord-q1', john) },
  // A bad field (currency) in an event full of personal data.
  invalidPayload: { topic: ORDERS_EVENTS_TOPIC, ...placedWith('ord-q2', jane, { currency: 'euro' }) },
  // Well-formed, but ord-q1 is already placed: quarantined by the projection, with its event.
  impossible: { topic: ORDERS_EVENTS_TOPIC, ...placedWith('ord-q1', jane, { sequence: 2 }) },
  // Personal data where it does not belong: an email as a correlation id (a declared field), a name as a key.
  misplaced: { topic: ORDERS_EVENTS_TOPIC, ...orderEvent('ord-q4', 1, 'OrderCancelled', { reason: 'bored', 'Jane Doe': 'Baker Street' }, { correlationId: 'jane.doe@example.com' }) },
  // Not JSON: the decoder's reason quotes the first 80 characters of it.
  notJson: { topic: ORDERS_EVENTS_TOPIC, key: 'ord-q3', value: 'customer=Jane Doe; email=jane.doe@example.com; ship to 221B Baker Street, London' },
  // A legacy CDC row with EMAIL and SHIP_LINE1, invalid for its CURRENCY.
  legacyRow: { topic: LEGACY_OMS_CDC_TOPIC, key: JSON.stringify({ ORDER_ID: 'legacy-q1' }), value: JSON.stringify({ before: null, after: legacyHeader, op: 'c', ts_ms: Date.UTC(2026, 0, 1), source: { db: 'oms', table: 'ORDERS', lsn: 1, txId: 1 } }) },
  // Not JSON on the CDC topic: JSON.parse's own message quotes a snippet of it.
  legacyNotJson: { topic: LEGACY_OMS_CDC_TOPIC, key: JSON.stringify({ ORDER_ID: 'legacy-q2' }), value: 'Mary Major <mary.major@example.net>, 1600 Pennsylvania Avenue' },
} as const;

describe.each(bothDatabases)('quarantine listing redaction on %s', (_name, openDb) => {
  let db: Database;
  let log: EventLog;
  let projector: Projector;
  const schema = uniqueName('orders_redaction');
  const byOffset = (entries: QuarantinedRecord[], input: { topic: string; value: string }) => entries.find((e) => e.topic === input.topic && e.offset === offsets.get(input.value));
  const offsets = new Map<string, number>();

  beforeAll(async () => {
    db = await openDb();
    log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const counters = new Map<string, number>();
    for (const input of Object.values(INPUTS)) {
      const next = counters.get(input.topic) ?? 0;
      offsets.set(input.value, next);
      counters.set(input.topic, next + 1);
      await log.produce(input.topic, [{ key: input.key, value: input.value }]);
    }
    projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1, onError: () => undefined });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
  });
  afterAll(async () => {
    await projector.stop();
    await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
  });

  it('given malformed inputs carrying personal data, when listed, then no email, street, name or customer id appears anywhere', async () => {
    const listing = await listQuarantine(db, schema, { context: ordersContext });
    expect(listing.map((e) => e.reasonCode).sort()).toEqual(['IMPOSSIBLE_TRANSITION', 'INVALID_PAYLOAD', 'INVALID_PAYLOAD', 'INVALID_PAYLOAD', 'MALFORMED_JSON', 'MALFORMED_JSON']);
    expect(listing.every((e) => e.payload === 'redacted')).toBe(true);
    const text = JSON.stringify(listing);
    for (const value of PII) expect(text).not.toContain(value);
    expect(text).not.toContain('@');
    // Without a context to say what is safe, nothing is (fail closed): the same holds, and less is shown.
    const undeclared = JSON.stringify(await listQuarantine(db, schema));
    for (const value of PII) expect(undeclared).not.toContain(value);
  });

  it('keeps the declared fields, the key and the shape; hidden values keep their type and length only', async () => {
    const listing = await listQuarantine(db, schema, { context: ordersContext });
    const invalid = byOffset(listing, INPUTS.invalidPayload)!;
    expect(invalid).toMatchObject({ reasonCode: 'INVALID_PAYLOAD', key: 'ord-q2' });
    expect(invalid.reason).toMatch(/currency: currency must be an ISO 4217 code/);
    const event = JSON.parse(invalid.value!) as Record<string, unknown>;
    expect(event).toMatchObject({ type: 'OrderPlaced', schemaVersion: 1, aggregateId: 'ord-q2', sequence: 1, correlationId: 'journey-ord-q2', causationId: null, source: 'web-checkout' });
    expect(event.eventId).toMatch(/^evt-ord-q2-1-/);
    expect(event.data).toEqual({
      customerId: '<redacted string, 8 chars>',
      channel: 'web',
      currency: 'euro',
      lines: [{ lineId: '1', sku: 'SKU-RED', quantity: 2, unitPrice: '10.00' }],
      customerEmail: '<redacted string, 20 chars>',
      shippingAddress: { line1: '<redacted string, 17 chars>', city: '<redacted string, 6 chars>', postalCode: '<redacted string, 7 chars>', country: '<redacted string, 2 chars>' },
    });

    const impossible = byOffset(listing, INPUTS.impossible)!;
    expect(impossible).toMatchObject({ reasonCode: 'IMPOSSIBLE_TRANSITION', key: 'ord-q1' });
    expect(impossible.reason).toMatch(/OrderPlaced #2 for ord-q1, which was already placed/);

    const misplaced = JSON.parse(byOffset(listing, INPUTS.misplaced)!.value!) as Record<string, unknown>;
    expect(misplaced).toMatchObject({ type: 'OrderCancelled', correlationId: '<redacted email>', data: { reason: 'bored', '<redacted key 1>': '<redacted string, 12 chars>' } });

    const legacy = byOffset(listing, INPUTS.legacyRow)!;
    expect(legacy).toMatchObject({ reasonCode: 'INVALID_PAYLOAD', key: '{"ORDER_ID":"legacy-q1"}' });
    expect(legacy.reason).toMatch(/^ORDERS after row is invalid: CURRENCY: /);
    expect(JSON.parse(legacy.value!)).toEqual({
      before: null,
      after: {
        ORDER_ID: 'legacy-q1', CUST_ID: '<redacted string, 8 chars>', STATUS_CD: 1, CHANNEL_CD: 'W', CURRENCY: 'dollars', TOTAL_AMT: '25.00',
        EMAIL: '<redacted string, 22 chars>', SHIP_LINE1: '<redacted string, 24 chars>', SHIP_CITY: '<redacted string, 10 chars>', SHIP_ZIP: '<redacted string, 5 chars>', SHIP_CTRY: '<redacted string, 2 chars>',
        CANCEL_RSN: null, UPD_TS: Date.UTC(2026, 0, 1),
      },
      op: 'c',
      ts_ms: Date.UTC(2026, 0, 1),
      source: { db: 'oms', table: 'ORDERS', lsn: 1, txId: 1 },
    });
  });

  it('shows bytes that are not JSON as their length and SHA-256 only, and scrubs the reasons that quote them', async () => {
    const listing = await listQuarantine(db, schema, { context: ordersContext });
    for (const input of [INPUTS.notJson, INPUTS.legacyNotJson]) {
      const entry = byOffset(listing, input)!;
      const bytes = Buffer.from(input.value);
      expect(entry.reasonCode).toBe('MALFORMED_JSON');
      expect(entry.value).toBe(`<redacted: not JSON, ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}>`);
      expect(entry.reason).toContain('<redacted>');
      expect(entry.reason).not.toMatch(/Jane|Mary|Baker|Pennsylvania|example/);
    }
    expect(byOffset(listing, INPUTS.notJson)!.reason).toMatch(/^value is not JSON \(.*\); received: <redacted>$/);
    expect(byOffset(listing, INPUTS.legacyNotJson)!.reason).toMatch(/^CDC value is not JSON \(Unexpected token/);
  });

  it("given payload 'original', then the bytes and reasons are returned as stored", async () => {
    const original = await listQuarantine(db, schema, { context: ordersContext, payload: 'original' });
    expect(original.every((e) => e.payload === 'original')).toBe(true);
    for (const input of [INPUTS.invalidPayload, INPUTS.impossible, INPUTS.misplaced, INPUTS.notJson, INPUTS.legacyRow, INPUTS.legacyNotJson]) {
      expect(byOffset(original, input)).toMatchObject({ key: input.key, value: input.value });
    }
    expect(byOffset(original, INPUTS.notJson)!.reason).toContain('jane.doe@example.com');
    const { rows } = await db.query<{ reason: string }>(`select reason from "${schema}".quarantine order by quarantine_id`);
    expect(original.map((e) => e.reason)).toEqual(rows.map((r) => r.reason));
  });
});
