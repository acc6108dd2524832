import { describe, expect, it } from 'vitest';
import type { FreshnessBasis } from './Freshness.js';
import { judgeFreshness } from './judgeFreshness.js';

const caughtUp: FreshnessBasis = { lastAppliedAt: '2026-12-06T10:00:00.000Z', lagEvents: 0, lagMs: 0, dataAgeMs: 30_000 };
const PROCESSING_LAG = { freshnessSlaSeconds: 60, freshnessBinds: 'PROCESSING_LAG' as const, maxSourceSilenceSeconds: null };
const DATA_AGE = { freshnessSlaSeconds: 60, freshnessBinds: 'DATA_AGE' as const, maxSourceSilenceSeconds: 90 };

describe('judgeFreshness: a measure against the terms a contract declares', () => {
  it('binds the processing lag only by default: a producer silent for 93 s leaves a caught-up projection FRESH', () => {
    const silent = { ...caughtUp, dataAgeMs: 93_000 };
    expect(judgeFreshness(silent, PROCESSING_LAG)).toMatchObject({ status: 'FRESH', staleBecause: [], binds: 'PROCESSING_LAG', maxSourceSilenceSeconds: null, dataAgeMs: 93_000 });
    expect(judgeFreshness(silent, 60)).toMatchObject({ status: 'FRESH', slaSeconds: 60, binds: 'PROCESSING_LAG' });
    expect(judgeFreshness({ ...caughtUp, lagEvents: 4, lagMs: 61_000 }, PROCESSING_LAG)).toMatchObject({ status: 'STALE', staleBecause: ['PROCESSING_LAG'] });
    expect(judgeFreshness({ ...caughtUp, lagEvents: 4, lagMs: 60_000 }, PROCESSING_LAG)).toMatchObject({ status: 'FRESH' });
  });

  it('with DATA_AGE, says STALE once the newest fact is older than the sources may be silent, however caught up', () => {
    expect(judgeFreshness({ ...caughtUp, dataAgeMs: 90_000 }, DATA_AGE)).toMatchObject({ status: 'FRESH', staleBecause: [], maxSourceSilenceSeconds: 90 });
    expect(judgeFreshness({ ...caughtUp, dataAgeMs: 93_000 }, DATA_AGE)).toMatchObject({ status: 'STALE', staleBecause: ['DATA_AGE'] });
    // Both bounds hold at once; both are named.
    expect(judgeFreshness({ ...caughtUp, lagEvents: 9, lagMs: 61_000, dataAgeMs: 200_000 }, DATA_AGE)).toMatchObject({ status: 'STALE', staleBecause: ['PROCESSING_LAG', 'DATA_AGE'] });
  });

  it('says UNKNOWN when nothing can be vouched for, whatever the terms', () => {
    expect(judgeFreshness({ lastAppliedAt: null, lagEvents: 0, lagMs: 0, dataAgeMs: null }, DATA_AGE)).toMatchObject({ status: 'UNKNOWN', staleBecause: [] });
    expect(judgeFreshness({ ...caughtUp, dataAgeMs: 10_000_000, unavailable: 'watermarks did not answer within 500 ms' }, DATA_AGE)).toMatchObject({ status: 'UNKNOWN', staleBecause: [], unavailable: 'watermarks did not answer within 500 ms' });
  });
});
