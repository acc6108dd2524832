import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../platform/eventLog/index.js';
import { EARLIEST_EVENT_MS, INT4_MAX, TIMESTAMP_PATTERN } from '../platform/events/index.js';
import { validRecordsByTopic } from '../test/support/recordArbitraries.js';
import { contexts } from './index.js';

// What a decoder accepts, the engine must be able to store. Sequences and quantities go into `int`
// columns, event times into `timestamptz` (PostgreSQL has no year 0, and the engine writes times in
// UTC). A decoder that let 2^31 or a time in year 0 through failed its batch at the insert, for
// ever: a poison record halting its partition (found by the quarantine boundary property test).
// Every number and every timestamp of a valid record, set in turn to such a value: the decoder
// refuses it with a reason, or yields events whose numbers fit an `int` and whose times are storable.
const VALID = validRecordsByTopic(2);
const YEAR_ZERO_MS = Date.parse('0000-01-01T00:00:00Z');
const BAD_NUMBERS = [INT4_MAX + 1, YEAR_ZERO_MS];
const BAD_TIMES = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00'];

type Leaf = { path: string[]; replacements: readonly unknown[] };
const leaves = (value: unknown, path: string[] = []): Leaf[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))
    : typeof value === 'number'
      ? [{ path, replacements: BAD_NUMBERS }]
      : typeof value === 'string' && TIMESTAMP_PATTERN.test(value)
        ? [{ path, replacements: BAD_TIMES }]
        : [];

const withValueAt = (value: unknown, path: string[], replacement: unknown): unknown => {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
};

/** What in an event the engine could not store: a number beyond an `int`, a time before year 1. */
const unstorable = (value: unknown): string[] => {
  if (typeof value === 'number') return Math.abs(value) > INT4_MAX ? [String(value)] : [];
  if (typeof value === 'string') return TIMESTAMP_PATTERN.test(value) && !(Date.parse(value) >= EARLIEST_EVENT_MS) ? [value] : [];
  return value !== null && typeof value === 'object' ? Object.values(value).flatMap(unstorable) : [];
};

describe.each(contexts.flatMap((c) => c.ingestion.decoders.map((d) => [`${c.name}: ${d.topic}`, d] as const)))('the decoder of %s', (_name, decoder) => {
  it('never yields a value the engine cannot store (an int beyond 2^31 - 1, a time in year 0), and says why it refuses one', () => {
    let refused = 0;
    for (const record of VALID.get(decoder.topic) ?? []) {
      if (!record.value) continue;
      const value: unknown = JSON.parse(record.value.toString());
      for (const { path, replacements } of leaves(value)) {
        for (const replacement of replacements) {
          const mutated: LogRecord = { topic: decoder.topic, partition: 0, offset: 0, key: Buffer.from(record.key), headers: {}, timestamp: 0, value: Buffer.from(JSON.stringify(withValueAt(value, path, replacement))) };
          const result = decoder.kind === 'stateless' ? decoder.decode(mutated) : decoder.decode(mutated, undefined).result;
          if (result.kind === 'events') expect(result.events.flatMap(unstorable), `${path.join('.')} = ${String(replacement)}`).toEqual([]);
          else if (result.kind === 'rejected') {
            refused++;
            expect(result.rejection.reason.length, path.join('.')).toBeGreaterThan(0);
          }
        }
      }
    }
    // Every producer's event has a sequence and an event time: refused at least there.
    expect(refused).toBeGreaterThan(0);
  });
});
