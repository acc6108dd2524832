import fc from 'fast-check';
import type { LogRecord } from '../../platform/eventLog/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';
import { createJourneySimulator } from '../../subgraphs/index.js';

// Inputs a decoder can meet on its topic, for property-based tests: any bytes, any JSON, and
// valid producer records (from the journey simulator) mutated the ways producers get them wrong.

/** A JSON value as it travels: objects, arrays, strings, numbers, booleans, null. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings producers should not send and decoders must survive: NUL, unpaired surrogates, control characters, RTL and combining marks, emoji, very long text. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ufffe', '\u202eevil', 'e\u0301', '👩‍👩‍👧', '\r\n\t', 'null', '{}', '"', '\\', "'; drop table orders; --"),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers out of any range a field allows: huge, negative, fractional, unsafe integers, -0. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER - 2, -1, -0, 0.1 + 0.2, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Dates that are not: impossible days and hours, other formats, out-of-range years. */
export const nastyDate: fc.Arbitrary<string> = fc.constantFrom(
  '2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T25:61:61Z', '2026-01-01', '2026-01-01 10:00:00', '01/02/2026', 'yesterday', '',
  '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.001Z', '-271821-04-19T23:59:59.999Z', '2026-01-01T00:00:00+25:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z',
);

const anyJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>;

/** A value of another shape than most fields expect. */
const otherValue: fc.Arbitrary<Json> = fc.oneof<fc.Arbitrary<Json>[]>(fc.constant(null), fc.boolean(), nastyNumber, nastyString, nastyDate, fc.constant<Json>([]), fc.constant<Json>({}), anyJson);

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'truncate'; at: number }
  | { kind: 'key'; key: string | null }
  | { kind: 'tombstone' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: otherValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('key' as const), key: fc.option(nastyString, { nil: null }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tombstone' as const }) },
);

/** Every path to a node of a JSON value (the root excluded), depth first. */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

/** Applies a mutation to a producer record, as a (broken) producer would have sent it. */
export function mutate(record: SimulatedRecord, m: Mutation): { key: string | null; value: string | null } {
  if (m.kind === 'tombstone') return { key: record.key, value: null };
  if (m.kind === 'key') return { key: m.key, value: record.value };
  if (record.value === null) return { key: record.key, value: null };
  if (m.kind === 'truncate') return { key: record.key, value: record.value.slice(0, m.at % Math.max(1, record.value.length)) };
  const body = JSON.parse(record.value) as Json;
  const paths = pathsOf(body);
  const path = paths[m.at % Math.max(1, paths.length)];
  if (!path) return { key: record.key, value: JSON.stringify(m.kind === 'replace' ? m.value : body) };
  const parent = path.slice(0, -1).reduce<Json>((node, k) => (node as Record<string | number, Json>)[k]!, body) as Record<string | number, Json> | Json[];
  const last = path[path.length - 1]!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    (parent as Record<string | number, Json>)[last] = m.value;
  }
  return { key: record.key, value: JSON.stringify(body) };
}

/** Valid records per topic, from the journey simulator without delivery faults (legacy CDC included). */
export function validRecordsByTopic(seed = 1, journeys = 40): Map<string, SimulatedRecord[]> {
  const byTopic = new Map<string, SimulatedRecord[]>();
  for (const record of createJourneySimulator({ seed, faults: { legacyShare: 0.4 } }).next(journeys).records) {
    byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
  }
  return byTopic;
}

/** A log record at a position of a topic; strings become UTF-8 bytes, as a producer sends them. */
export function logRecord(topic: string, offset: number, key: string | Uint8Array | null, value: string | Uint8Array | null, headers: Record<string, string> = {}): LogRecord {
  const bytes = (v: string | Uint8Array | null) => (v === null ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
  return { topic, partition: 0, offset, key: bytes(key), value: bytes(value), headers, timestamp: 1_767_225_600_000 + offset };
}

export type RecordInput =
  | { kind: 'bytes'; key: Uint8Array | null; value: Uint8Array | null; headers: Record<string, string> }
  | { kind: 'json'; key: string | null; value: Json }
  | { kind: 'valid'; index: number }
  | { kind: 'mutated'; index: number; mutation: Mutation };

/**
 * What a record of a topic may hold: arbitrary bytes (and null key or value: a tombstone),
 * arbitrary JSON, a valid producer record, or a valid one mutated. Valid ones are drawn from
 * `valid`, by index, so a shrunk counterexample names the record it started from.
 */
export const recordInput: fc.Arbitrary<RecordInput> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), key: fc.option(fc.uint8Array({ maxLength: 48 }), { nil: null }), value: fc.option(fc.uint8Array({ maxLength: 600 }), { nil: null }), headers: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), key: fc.option(nastyString, { nil: null }), value: anyJson }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('valid' as const), index: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('mutated' as const), index: fc.nat(), mutation }) },
);

/** The log record an input stands for on `topic`, at `offset`. */
export function toLogRecord(input: RecordInput, topic: string, offset: number, valid: readonly SimulatedRecord[]): LogRecord {
  switch (input.kind) {
    case 'bytes':
      return logRecord(topic, offset, input.key, input.value, input.headers);
    case 'json':
      return logRecord(topic, offset, input.key, JSON.stringify(input.value));
    case 'valid': {
      const record = valid[input.index % valid.length]!;
      return logRecord(topic, offset, record.key, record.value);
    }
    case 'mutated': {
      const mutated = mutate(valid[input.index % valid.length]!, input.mutation);
      return logRecord(topic, offset, mutated.key, mutated.value);
    }
  }
}

/**
 * Runs of consecutive valid records (a CDC transaction spans several), some mutated in place and
 * some arbitrary inputs slipped in between: what a stateful translator meets on a bad day.
 * `keepWeight` against 1 for each disturbance; at most `maxLength` records per run.
 */
export function disturbedRun(options: { keepWeight: number; maxLength: number }): fc.Arbitrary<RecordInput[]> {
  return fc
    .record({
      start: fc.nat(),
      edits: fc.array(
        fc.oneof(
          { weight: options.keepWeight, arbitrary: fc.constant({ edit: 'keep' as const }) },
          { weight: 1, arbitrary: mutation.map((m) => ({ edit: 'mutate' as const, mutation: m })) },
          { weight: 1, arbitrary: recordInput.map((input) => ({ edit: 'insert' as const, input })) },
        ),
        { minLength: 1, maxLength: options.maxLength },
      ),
    })
    .map(({ start, edits }) =>
      edits.map((e, i): RecordInput => {
        switch (e.edit) {
          case 'keep':
            return { kind: 'valid', index: start + i };
          case 'mutate':
            return { kind: 'mutated', index: start + i, mutation: e.mutation };
          case 'insert':
            return e.input;
        }
      }),
    );
}
