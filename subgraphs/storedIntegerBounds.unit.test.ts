import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../platform/eventLog/index.js';
import { INT4_MAX } from '../platform/events/index.js';
import { validRecordsByTopic } from '../test/support/recordArbitraries.js';
import { contexts } from './index.js';

// Sequences and quantities are stored in `int` columns. A decoder that let 2^31 through failed its
// batch at the insert, for ever (a poison record halting its partition; found by the quarantine
// boundary property test). Every number in a valid record, set to 2^31 in turn: the decoder
// rejects it (quarantine, with a reason) or yields events whose numbers all fit an `int`.
const VALID = validRecordsByTopic(2);

const numberPaths = (value: unknown, path: string[] = []): string[][] =>
  value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => numberPaths(v, [...path, k])) : typeof value === 'number' ? [path] : [];

const withValueAt = (value: unknown, path: string[], replacement: number): unknown => {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
};

const largestNumber = (value: unknown): number =>
  typeof value === 'number' ? Math.abs(value) : value !== null && typeof value === 'object' ? Math.max(0, ...Object.values(value).map(largestNumber)) : 0;

describe.each(contexts.flatMap((c) => c.ingestion.decoders.map((d) => [`${c.name}: ${d.topic}`, d] as const)))('the decoder of %s', (_name, decoder) => {
  it('never yields a number an int column cannot store, and says why it refuses one', () => {
    let refused = 0;
    for (const record of VALID.get(decoder.topic) ?? []) {
      if (!record.value) continue;
      const value: unknown = JSON.parse(record.value.toString());
      for (const path of numberPaths(value)) {
        const mutated: LogRecord = { topic: decoder.topic, partition: 0, offset: 0, key: Buffer.from(record.key), headers: {}, timestamp: 0, value: Buffer.from(JSON.stringify(withValueAt(value, path, INT4_MAX + 1))) };
        const result = decoder.kind === 'stateless' ? decoder.decode(mutated) : decoder.decode(mutated, undefined).result;
        if (result.kind === 'events') {
          for (const event of result.events) expect(largestNumber(event), `${path.join('.')} = 2^31`).toBeLessThanOrEqual(INT4_MAX);
        } else if (result.kind === 'rejected') {
          refused++;
          expect(result.rejection.reason.length, path.join('.')).toBeGreaterThan(0);
        }
      }
    }
    // The envelope's sequence is a number in every event a producer sends: refused at least there.
    if ((VALID.get(decoder.topic) ?? []).some((r) => r.value && 'sequence' in (JSON.parse(r.value.toString()) as object))) expect(refused).toBeGreaterThan(0);
  });
});
