import { describe, expect, it } from 'vitest';
import type { DatedAmount, DivergenceEvidence } from './classifyDivergence.js';
import { classifyDivergence, DIVERGENCE_CLASSES } from './classifyDivergence.js';

const on = (businessDate: string, cents: number, currency = 'EUR'): DatedAmount => ({ businessDate, cents, currency });
/** Given a diverging order: what the legacy files and the new side say of it. */
const evidence = (overrides: Partial<DivergenceEvidence>): DivergenceEvidence => ({ legacyLines: [], newLines: [], newCancelledAt: null, newCaptured: true, ...overrides });
const classify = (overrides: Partial<DivergenceEvidence>) => classifyDivergence(evidence(overrides));

describe('classifyDivergence: each class on its own', () => {
  it('TIMING: both book the same amount, on different dates', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-03', 5000)] })).toEqual({ divergenceClass: 'TIMING', alsoMatching: [] });
  });

  it('TIMING: the same total, spread over other dates (a second shipment captured the next day)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-02', 3000), on('2026-11-03', 2000)] })).toEqual({ divergenceClass: 'TIMING', alsoMatching: [] });
    // Same dates on both sides, same total, split differently: still only a matter of dates.
    expect(classify({ legacyLines: [on('2026-11-02', 3000), on('2026-11-03', 2000)], newLines: [on('2026-11-02', 2000), on('2026-11-03', 3000)] })).toEqual({ divergenceClass: 'TIMING', alsoMatching: [] });
  });

  it('AMOUNT: both book it on the same date, for different amounts (an amendment after release, a capture capped by the authorization)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-02', 4200)] })).toEqual({ divergenceClass: 'AMOUNT', alsoMatching: [] });
  });

  it('NO_CAPTURE: the legacy booked it and the new side shows no capture (its RECOGNITION line is zero)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-02', 0)], newCaptured: false })).toEqual({ divergenceClass: 'NO_CAPTURE', alsoMatching: ['AMOUNT'] });
  });

  it('CANCELLED_AFTER_BOOKING: a cancellation line in the files', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000), on('2026-11-04', -5000)], newLines: [on('2026-11-03', 5000), on('2026-11-04', -5000)] })).toEqual({ divergenceClass: 'CANCELLED_AFTER_BOOKING', alsoMatching: ['TIMING'] });
  });

  it('CANCELLED_AFTER_BOOKING: the booking in the files, and the new side cancelled the order on or after that date (its cancellation line not in the range)', () => {
    const booked = { legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-03', 5000)] };
    expect(classify({ ...booked, newCancelledAt: '2026-11-02T00:00:00.000Z' })).toEqual({ divergenceClass: 'CANCELLED_AFTER_BOOKING', alsoMatching: ['TIMING'] });
    expect(classify({ ...booked, newCancelledAt: '2026-11-09T10:00:00.000Z' }).divergenceClass).toBe('CANCELLED_AFTER_BOOKING');
    // Cancelled before the day it was booked: not a cancellation after the booking.
    expect(classify({ ...booked, newCancelledAt: '2026-11-01T23:59:59.999Z' })).toEqual({ divergenceClass: 'TIMING', alsoMatching: [] });
  });

  it('MISSING_IN_NEW: lines in the files, none on the new side on the compared dates, though it captured (e.g. recognized on a day whose file is missing)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [] })).toEqual({ divergenceClass: 'MISSING_IN_NEW', alsoMatching: [] });
  });

  it('MISSING_IN_LEGACY: ledger lines, nothing in the files (never released in the OMS, or its line unreadable)', () => {
    expect(classify({ legacyLines: [], newLines: [on('2026-11-03', 5000)] })).toEqual({ divergenceClass: 'MISSING_IN_LEGACY', alsoMatching: [] });
    // A zero RECOGNITION line is still a line the legacy lacks, when its nets differ elsewhere.
    expect(classify({ legacyLines: [], newLines: [on('2026-11-03', 0), on('2026-11-05', -300)], newCaptured: false })).toEqual({ divergenceClass: 'MISSING_IN_LEGACY', alsoMatching: [] });
  });

  it('UNEXPLAINED: both book it, in different currencies; no class explains it', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000, 'GBP')], newLines: [on('2026-11-02', 5000, 'EUR')] })).toEqual({ divergenceClass: 'UNEXPLAINED', alsoMatching: [] });
    expect(classify({ legacyLines: [on('2026-11-02', 5000, 'GBP')], newLines: [on('2026-11-03', 4000, 'EUR')] })).toEqual({ divergenceClass: 'UNEXPLAINED', alsoMatching: [] });
  });
});

describe('classifyDivergence: precedence CANCELLED_AFTER_BOOKING, NO_CAPTURE, MISSING_IN_NEW, MISSING_IN_LEGACY, AMOUNT, TIMING', () => {
  it('AMOUNT before TIMING when both the amount and the date differ, TIMING listed', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-03', 4500)] })).toEqual({ divergenceClass: 'AMOUNT', alsoMatching: ['TIMING'] });
    // A goodwill refund on a later day: the total and the dates differ.
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-02', 5000), on('2026-11-06', -500)] })).toEqual({ divergenceClass: 'AMOUNT', alsoMatching: ['TIMING'] });
  });

  it('NO_CAPTURE before MISSING_IN_NEW (an order the new side never recognized, or does not know)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newCaptured: false })).toEqual({ divergenceClass: 'NO_CAPTURE', alsoMatching: ['MISSING_IN_NEW'] });
  });

  it('NO_CAPTURE before AMOUNT and TIMING (never captured, recognized at zero on another day)', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-03', 0)], newCaptured: false })).toEqual({ divergenceClass: 'NO_CAPTURE', alsoMatching: ['AMOUNT', 'TIMING'] });
  });

  it('CANCELLED_AFTER_BOOKING before everything: booked, cancelled, nothing captured, nothing on the new side', () => {
    expect(classify({ legacyLines: [on('2026-11-02', 5000), on('2026-11-03', -5000)], newCaptured: false })).toEqual({ divergenceClass: 'CANCELLED_AFTER_BOOKING', alsoMatching: ['NO_CAPTURE', 'MISSING_IN_NEW'] });
  });

  it('a cancellation line alone (its booking on a day whose file is missing) is CANCELLED_AFTER_BOOKING, not NO_CAPTURE', () => {
    expect(classify({ legacyLines: [on('2026-11-04', -5000)], newLines: [on('2026-11-04', -5000), on('2026-11-05', 200)] })).toEqual({ divergenceClass: 'CANCELLED_AFTER_BOOKING', alsoMatching: ['AMOUNT', 'TIMING'] });
  });

  it('lists the other matching classes in precedence order, and every class is reachable', () => {
    const seen = new Set<string>();
    const cases: Array<Partial<DivergenceEvidence>> = [
      { legacyLines: [on('2026-11-02', 5000), on('2026-11-03', -5000)], newCaptured: false },
      { legacyLines: [on('2026-11-02', 5000)], newCaptured: false },
      { legacyLines: [on('2026-11-02', 5000)] },
      { newLines: [on('2026-11-02', 5000)] },
      { legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-02', 1)] },
      { legacyLines: [on('2026-11-02', 5000)], newLines: [on('2026-11-03', 5000)] },
      { legacyLines: [on('2026-11-02', 5000, 'USD')], newLines: [on('2026-11-02', 5000)] },
    ];
    for (const c of cases) {
      const { divergenceClass, alsoMatching } = classify(c);
      seen.add(divergenceClass);
      const ranks = [divergenceClass, ...alsoMatching].map((x) => DIVERGENCE_CLASSES.indexOf(x));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect([...seen].sort()).toEqual([...DIVERGENCE_CLASSES].sort());
  });
});
