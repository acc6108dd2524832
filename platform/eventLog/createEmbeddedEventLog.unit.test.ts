import { describe, expect, it } from 'vitest';
import { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
import type { LogRecord } from './EventLog.js';

const readAll = async (log: ReturnType<typeof createEmbeddedEventLog>, topic: string, from: number, until: number) => {
  const out: LogRecord[] = [];
  await log.readRanges(topic, [{ partition: 0, from, until }], async (records) => void out.push(...records));
  return out;
};

describe('the embedded log keeps every record', () => {
  it('in one allocation per produce call and partition, exactly its keys and values, never a slice of a shared pool slab', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    await log.ensureTopics([{ name: 'memory.probe.v1', partitions: 1 }]);
    const caller = Buffer.from('a caller’s value, itself a slice of the pool');
    expect(caller.buffer.byteLength).toBeGreaterThan(caller.length);
    const first = JSON.stringify({ eventId: 'e-1', pad: 'x'.repeat(300) });
    await log.produce('memory.probe.v1', [
      { key: 'ord-1', value: first },
      { key: Buffer.from('ord-2'), value: caller },
    ]);
    const stored = await readAll(log, 'memory.probe.v1', 0, 2);
    expect(stored).toHaveLength(2);
    const size = Buffer.byteLength('ord-1') + Buffer.byteLength(first) + Buffer.byteLength('ord-2') + caller.length;
    for (const record of stored) {
      for (const bytes of [record.key!, record.value!]) expect(bytes.buffer.byteLength).toBe(size);
    }
    expect(stored.map((r) => [r.key!.toString(), r.value!.toString()])).toEqual([['ord-1', first], ['ord-2', 'a caller’s value, itself a slice of the pool']]);
    // A copy: the caller reusing its Buffer changes nothing stored.
    caller.fill(0x21);
    expect((await readAll(log, 'memory.probe.v1', 1, 2))[0]!.value!.toString()).toBe('a caller’s value, itself a slice of the pool');
    await log.close();
  });

  it('reads any range across produce calls and deleted records, with tombstones and headers as produced', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const topic = 'ranges.probe.v1';
    await log.ensureTopics([{ name: topic, partitions: 1 }]);
    const call = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: (from + i) % 4 === 3 ? null : `v${from + i}`, headers: (from + i) % 5 === 0 ? { n: String(from + i) } : undefined }));
    // Produce calls of 1, 5 and 3 records: 9 offsets in 3 stored segments.
    for (const [from, count] of [[0, 1], [1, 5], [6, 3]] as const) await log.produce(topic, call(from, count));
    const expected = (offset: number) => ({ offset, key: `k${offset}`, value: offset % 4 === 3 ? null : `v${offset}`, headers: offset % 5 === 0 ? { n: String(offset) } : {} });
    const seen = (records: LogRecord[]) => records.map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null, headers: r.headers }));
    for (const [from, until] of [[0, 9], [2, 7], [5, 6], [6, 100], [9, 12]] as const) {
      expect(seen(await readAll(log, topic, from, until)), `${from}..${until}`).toEqual(Array.from({ length: Math.max(0, Math.min(until, 9) - from) }, (_, i) => expected(from + i)));
    }
    // A reader changing the headers it got changes nothing stored.
    (await readAll(log, topic, 5, 6))[0]!.headers.n = 'changed';
    expect((await readAll(log, topic, 5, 6))[0]!.headers).toEqual({ n: '5' });
    // Deleted within the second segment: the log begins at offset 4 and keeps its offsets.
    log.deleteRecords(topic, 0, 4);
    expect(seen(await readAll(log, topic, 0, 9))).toEqual([4, 5, 6, 7, 8].map(expected));
    expect(await log.endOffsets(topic)).toEqual([9]);
    await log.produce(topic, call(9, 2));
    expect(seen(await readAll(log, topic, 8, 11))).toEqual([8, 9, 10].map(expected));
    await log.close();
  });
});
