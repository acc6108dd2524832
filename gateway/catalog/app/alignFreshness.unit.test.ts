import { describe, expect, it } from 'vitest';
import { alignFreshness } from './alignFreshness.js';

const M = 60_000;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');

describe('aligning freshness samples for the chart', () => {
  it('puts every projection on the union of sampled minutes, in seconds, null where one has no sample', () => {
    const aligned = alignFreshness(
      [
        { projection: 'a', points: [{ at: T0, valueMs: 0, flag: null }, { at: T0 + M, valueMs: 90_000, flag: 'stale' }] },
        { projection: 'b', points: [{ at: T0 + M, valueMs: null, flag: 'unknown' }] },
      ],
      T0 - 10 * M,
      T0 + 10 * M,
    );
    expect(aligned.xs).toEqual([T0, T0 + M]);
    expect(aligned.values).toEqual([
      [0, 90],
      [null, null],
    ]);
    expect(aligned.points).toEqual([2, 0]);
    expect(aligned.flagged).toEqual([
      { stale: 1, unknown: 0 },
      { stale: 0, unknown: 1 },
    ]);
    expect(aligned.bands).toEqual([
      { from: T0 + M, to: T0 + 2 * M, flag: 'stale' },
      { from: T0 + M, to: T0 + 2 * M, flag: 'unknown' },
    ]);
  });

  it('breaks the line where no gateway sampled, and merges consecutive flagged minutes into one band', () => {
    const minutes = [0, 1, 2, 6, 7];
    const aligned = alignFreshness([{ projection: 'a', points: minutes.map((m) => ({ at: T0 + m * M, valueMs: m * 1000, flag: m === 2 ? null : ('stale' as const) })) }], T0, T0 + 7 * M);
    expect(aligned.xs).toEqual([0, 1, 2, 3, 6, 7].map((m) => T0 + m * M));
    expect(aligned.values[0]).toEqual([0, 1, 2, null, 6, 7]);
    expect(aligned.points).toEqual([5]);
    // The last band ends at the window's end, not a minute past it.
    expect(aligned.bands).toEqual([
      { from: T0, to: T0 + 2 * M, flag: 'stale' },
      { from: T0 + 6 * M, to: T0 + 7 * M, flag: 'stale' },
    ]);
  });

  it('leaves out samples outside the window', () => {
    const aligned = alignFreshness([{ projection: 'a', points: [{ at: T0 - M, valueMs: 1, flag: 'stale' }, { at: T0, valueMs: 2, flag: null }] }], T0, T0 + M);
    expect(aligned).toMatchObject({ xs: [T0], points: [1], bands: [] });
  });
});
