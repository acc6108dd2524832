import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextModule } from '../platform/context/index.js';
import type { Database } from '../platform/database/index.js';
import { createPgliteDatabase, quoteIdent } from '../platform/database/index.js';
import type { EventEnvelope } from '../platform/events/index.js';
import type { EventLog, LogRecord } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { DecodeResult, Projector } from '../platform/projection/index.js';
import { createProjector, QuarantineReasonCode, readWatermarks } from '../platform/projection/index.js';
import { disturbedRun as disturbedRunOf, nastyString, toLogRecord, validRecordsByTopic } from '../test/support/recordArbitraries.js';
import { uniqueName } from '../test/support/services.js';
import { contexts } from './index.js';

// The quarantine boundary, through the engine on PGlite: whatever a topic carries (arbitrary
// bytes and headers, arbitrary JSON, valid producer records and mutations of them, in runs as a
// CDC transaction spans several records), every batch commits and nothing throws past the
// engine: each record is kept as raw evidence and ends applied (or parked, waiting for its
// predecessor), ignored (the decoder said why), a duplicate, or quarantined with a reason code
// and a reason. One projector per context of the registry, fed batch after batch.

const REASON_CODES = new Set<string>(Object.values(QuarantineReasonCode));
const VALID = validRecordsByTopic(2);
const RUNS = 20;
/** NUL, or an unpaired surrogate, in any string or key of a value. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (value: unknown): boolean =>
  typeof value === 'string' ? UNSTORABLE.test(value) : Array.isArray(value) ? value.some(unstorable) : value !== null && typeof value === 'object' ? Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || unstorable(v)) : false;

/** Runs of consecutive valid records with some mutated or arbitrary ones in between. */
const disturbedRun = disturbedRunOf({ keepWeight: 2, maxLength: 25 });

describe.each(contexts.map((c) => [c.name, c] as const))('the quarantine boundary of the %s context, through the engine on PGlite', (_name, context: ContextModule) => {
  let db: Database;
  let log: EventLog;
  let projector: Projector;
  const schema = uniqueName(`boundary_${context.name}`);
  const errors: unknown[] = [];
  const topics = context.ingestion.decoders.map((d) => d.topic);
  const decoders = new Map(context.ingestion.decoders.map((d) => [d.topic, d]));
  // What the decoders said, replayed in log order with their state threaded per key as the engine does.
  const states = new Map<string, unknown>();
  const expected = { records: 0, ignored: 0, events: 0, rejections: [] as Array<{ topic: string; offset: number; code: string }> };

  beforeAll(async () => {
    db = await createPgliteDatabase();
    log = createEmbeddedEventLog();
    // One partition per topic: the log order is the order decoders see, so the replay below is exact.
    // No gap expiry within the test: an event waiting for its predecessor stays parked, and is counted as such.
    projector = createProjector({ log, db }, context.ingestion, { schema, partitions: 1, gapBound: 1_000_000_000, onError: (error) => errors.push(error), retry: { baseMs: 10, maxMs: 50, jitter: 'full' } });
    await projector.start();
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  // The engine's own rule on top of the decoders': an event (or translation state) holding text
  // PostgreSQL cannot store (NUL, an unpaired surrogate) is rejected as INVALID_PAYLOAD, and a
  // translator's state stays as it was.
  const replay = (record: LogRecord): DecodeResult<EventEnvelope> => {
    const decoder = decoders.get(record.topic)!;
    const invalid: DecodeResult<EventEnvelope> = { kind: 'rejected', rejection: { code: QuarantineReasonCode.InvalidPayload, reason: 'unstorable text' } };
    if (decoder.kind === 'stateless') {
      const result = decoder.decode(record);
      return result.kind === 'events' && unstorable(result.events) ? invalid : result;
    }
    const key = `${record.topic}\u0000${decoder.stateKey(record)}`;
    const { result, state } = decoder.decode(record, states.get(key));
    if ((result.kind === 'events' && unstorable(result.events)) || unstorable(state)) return invalid;
    states.set(key, state === undefined ? undefined : JSON.parse(JSON.stringify(state)));
    return result;
  };

  const caughtUp = async (timeoutMs = 15_000) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const marks = await readWatermarks(db, schema, { log });
      if (marks.every((m) => m.lagRecords === 0)) return marks;
      if (errors.length > 0 || performance.now() > deadline) {
        throw new Error(`the projector did not apply the batch: ${errors.length > 0 ? `it threw ${String(errors[0])}` : 'timed out'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('commits every batch, keeps every record, and accounts for each: applied, parked, ignored, duplicate or quarantined with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topics), disturbedRun, fc.dictionary(nastyString, nastyString, { maxKeys: 2 }), async (topic, inputs, headers) => {
        const valid = VALID.get(topic) ?? [];
        const ends = await log.endOffsets(topic);
        const records = inputs.map((input, i) => toLogRecord(input, topic, ends[0]! + i, valid));
        // The port takes a key for every record (it picks the partition); Kafka's null key becomes an empty one.
        await log.produce(topic, records.map((r) => ({ key: r.key ?? Buffer.alloc(0), value: r.value, headers })));
        const stored = await log.endOffsets(topic);
        expect(stored[0]).toBe(ends[0]! + records.length);

        const marks = await caughtUp();
        for (const [i, record] of records.entries()) {
          const result = replay({ ...record, key: record.key ?? Buffer.alloc(0), headers, offset: ends[0]! + i });
          expected.records++;
          if (result.kind === 'ignored') {
            expect(result.reason.trim().length).toBeGreaterThan(0);
            expected.ignored++;
          } else if (result.kind === 'rejected') {
            expected.rejections.push({ topic, offset: ends[0]! + i, code: result.rejection.code });
          } else expected.events += result.events.length;
        }

        // Every record kept as raw evidence, once.
        const raw = await db.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(schema)}.raw_events`);
        expect(raw.rows[0]!.n).toBe(expected.records);
        // Every rejected record quarantined at its offset, with its reason code and a reason.
        const quarantined = await db.query<{ topic: string; record_offset: string; reason_code: string; reason: string; has_event: boolean }>(
          `select topic, record_offset, reason_code, reason, event is not null as has_event from ${quoteIdent(schema)}.quarantine`,
        );
        for (const row of quarantined.rows) {
          expect(REASON_CODES.has(row.reason_code), row.reason_code).toBe(true);
          expect(row.reason.trim().length).toBeGreaterThan(0);
        }
        const recordLevel = quarantined.rows.filter((r) => !r.has_event).map((r) => ({ topic: r.topic, offset: Number(r.record_offset), code: r.reason_code }));
        expect(sortRejections(recordLevel)).toEqual(sortRejections(expected.rejections));
        // Ignored records counted; every decoded event applied, a duplicate, quarantined (with the
        // event) or parked: summed over the projection's watermarks.
        const sum = (pick: (m: (typeof marks)[number]) => number) => marks.reduce((total, m) => total + pick(m), 0);
        for (const projection of context.ingestion.projections) {
          const own = marks.filter((m) => m.projection === projection.name);
          const eventLevel = (await db.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(schema)}.quarantine where projection = $1 and event is not null`, [projection.name])).rows[0]!.n;
          expect(own.reduce((t, m) => t + m.ignoredCount, 0), `${projection.name} ignored`).toBe(expected.ignored);
          expect(own.reduce((t, m) => t + m.appliedCount + m.duplicateCount + m.parkedNow, 0) + eventLevel, `${projection.name} events`).toBe(expected.events);
        }
        expect(sum((m) => m.nextOffset)).toBe(sum((m) => m.logEndOffset));
        expect(errors).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

function sortRejections(list: ReadonlyArray<{ topic: string; offset: number; code: string }>) {
  return [...list].sort((a, b) => a.topic.localeCompare(b.topic) || a.offset - b.offset || a.code.localeCompare(b.code));
}
