import { describe, expect, it } from 'vitest';
import { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
import type { LogRecord } from './EventLog.js';

describe('the embedded log keeps every record', () => {
  it('in memory of the record’s own size, never a slice of a shared pool slab that it would keep alive', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    await log.ensureTopics([{ name: 'memory.probe.v1', partitions: 1 }]);
    const caller = Buffer.from('a caller’s value, itself a slice of the pool');
    expect(caller.buffer.byteLength).toBeGreaterThan(caller.length);
    await log.produce('memory.probe.v1', [
      { key: 'ord-1', value: JSON.stringify({ eventId: 'e-1', pad: 'x'.repeat(300) }) },
      { key: Buffer.from('ord-2'), value: caller },
    ]);
    const stored: LogRecord[] = [];
    await log.readRanges('memory.probe.v1', [{ partition: 0, from: 0, until: 2 }], async (records) => void stored.push(...records));
    expect(stored).toHaveLength(2);
    for (const record of stored) {
      for (const bytes of [record.key!, record.value!]) {
        expect(bytes.byteOffset).toBe(0);
        expect(bytes.buffer.byteLength).toBe(bytes.length);
      }
    }
    // A copy: the caller reusing its Buffer changes nothing stored.
    caller.fill(0x21);
    expect(stored[1]!.value!.toString()).toBe('a caller’s value, itself a slice of the pool');
    await log.close();
  });
});
