import { describe, expect, it } from 'vitest';
import type { PartitionProgress } from './eventTimeWatermark.js';
import { eventTimeWatermark } from './eventTimeWatermark.js';

const at = (iso: string) => new Date(iso);
const partition = (p: number, next: number, end: number, max: string | null): PartitionProgress => ({ topic: 't', partition: p, nextOffset: next, logEndOffset: end, maxEventTime: max === null ? null : at(max) });

describe('eventTimeWatermark', () => {
  it('is the minimum over busy partitions of their greatest event time, less the allowed lateness', () => {
    const w = eventTimeWatermark([partition(0, 5, 10, '2026-11-02T10:00:00.000Z'), partition(1, 5, 10, '2026-11-02T09:00:00.000Z')], 60_000);
    expect(w).toEqual(at('2026-11-02T08:59:00.000Z'));
  });

  it('leaves idle partitions (caught up with their log end) out of the minimum', () => {
    const w = eventTimeWatermark([partition(0, 5, 10, '2026-11-02T10:00:00.000Z'), partition(1, 7, 7, '2026-11-01T00:00:00.000Z'), partition(2, 0, 0, null)], 0);
    expect(w).toEqual(at('2026-11-02T10:00:00.000Z'));
  });

  it('is the greatest event time seen when every partition is caught up', () => {
    const w = eventTimeWatermark([partition(0, 10, 10, '2026-11-02T10:00:00.000Z'), partition(1, 7, 7, '2026-11-03T00:00:00.000Z'), partition(2, 0, 0, null)], 1000);
    expect(w).toEqual(at('2026-11-02T23:59:59.000Z'));
  });

  it('is held back (null) by a partition with records to consume and nothing applied yet', () => {
    expect(eventTimeWatermark([partition(0, 5, 10, '2026-11-02T10:00:00.000Z'), partition(1, 0, 3, null)], 0)).toBeNull();
  });

  it('is null before anything was applied anywhere', () => {
    expect(eventTimeWatermark([partition(0, 0, 0, null)], 0)).toBeNull();
    expect(eventTimeWatermark([], 0)).toBeNull();
  });
});
