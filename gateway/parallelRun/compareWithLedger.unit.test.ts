import { describe, expect, it } from 'vitest';
import { compareWithLedger } from './compareWithLedger.js';
import type { LegacyBookingLine } from './parseFinanceExtract.js';
import type { NewLedgerLine, NewSide, NewSideSale } from './readRecognizedSales.js';

const legacy = (orderId: string, bookingDate: string, cents: number, line = 2, currency = 'EUR'): LegacyBookingLine => ({ orderId, bookingDate, cents, currency, source: 'OMS', file: `finance_extract_${bookingDate.replaceAll('-', '')}.csv`, line });
const ledger = (businessDate: string, cents: number, captureIds: string[] = ['cap-1']): NewLedgerLine => ({ businessDate, lineKind: 'RECOGNITION', cents, currency: 'EUR', captureIds, refundIds: [] });
const sale = (orderId: string, sourceSystem: string | null, lines: NewLedgerLine[], orderCancelledAt: string | null = null): NewSideSale => ({ orderId, sourceSystem, orderCancelledAt, recognitionDate: lines[0]?.businessDate ?? null, ledgerLines: lines });
const newSide = (sales: Array<NewSideSale | [string, null]>): NewSide => ({
  ledgerOrderIds: sales.flatMap((s) => (Array.isArray(s) || s.ledgerLines.length === 0 ? [] : [s.orderId])),
  ledgerLinesRead: 0,
  sales: new Map(sales.map((s) => (Array.isArray(s) ? s : [s.orderId, s]))),
});
const OPTIONS = { fromDate: '2026-11-01', toDate: '2026-11-05', comparedDates: ['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-05'], legacySourceSystem: 'legacy-oms' };

describe('compareWithLedger', () => {
  it('compares nets per order and business date: equal nets agree, however they are made up', () => {
    const result = compareWithLedger(
      [legacy('ord-1', '2026-11-01', 5000), legacy('ord-2', '2026-11-01', 3000), legacy('ord-2', '2026-11-02', -3000)],
      newSide([
        sale('ord-1', 'legacy-oms', [ledger('2026-11-01', 3000), { ...ledger('2026-11-01', 2000), lineKind: 'ADJUSTMENT' }]),
        // Booked on the 1st and cancelled on the 2nd by the legacy, never recognized: +30 and -30 against nothing.
        sale('ord-2', 'legacy-oms', []),
        // Recognized at zero (never captured), and not in the files: a zero net is no booking.
        sale('ord-3', 'legacy-oms', [ledger('2026-11-02', 0, [])]),
      ]),
      OPTIONS,
    );
    expect(result).toMatchObject({ inScopeOrders: 3, agreeingOrders: 2, outOfScope: {}, newLinesOnMissingDates: 0 });
    expect(result.diverging.map((d) => d.orderId)).toEqual(['ord-2']);
    expect(result.diverging[0]!.dates).toEqual([
      { businessDate: '2026-11-01', legacy: [{ amount: '30.00', currency: 'EUR' }], new: [], agree: false },
      { businessDate: '2026-11-02', legacy: [{ amount: '-30.00', currency: 'EUR' }], new: [], agree: false },
    ]);
    expect(result.diverging[0]!.legacyLineRefs).toEqual(['finance_extract_20261101.csv:2', 'finance_extract_20261102.csv:2']);
  });

  it('compares nothing on a day without its legacy file, and counts the new lines left out', () => {
    const result = compareWithLedger([legacy('ord-1', '2026-11-02', 5000)], newSide([sale('ord-1', 'legacy-oms', [ledger('2026-11-03', 5000)]), sale('ord-4', 'legacy-oms', [ledger('2026-11-03', 700)])]), OPTIONS);
    expect(result.newLinesOnMissingDates).toBe(2);
    expect(result.agreeingOrders).toBe(1); // ord-4: its only line is on the missing day
    expect(result.diverging.map((d) => [d.orderId, d.evidence.newLines])).toEqual([['ord-1', []]]);
  });

  it('takes in scope what the files hold and what came through the legacy OMS; counts the rest per source system', () => {
    const result = compareWithLedger(
      [legacy('ord-web-in-file', '2026-11-01', 100)],
      newSide([
        sale('ord-web-in-file', 'web-checkout', [ledger('2026-11-01', 100)]),
        sale('ord-legacy-only-new', 'legacy-oms', [ledger('2026-11-01', 100)]),
        sale('ord-web', 'web-checkout', [ledger('2026-11-01', 100)]),
        sale('ord-store', 'store-pos', [ledger('2026-11-02', 100)]),
        sale('ord-old', null, [ledger('2026-11-02', 100)]),
      ]),
      OPTIONS,
    );
    expect(result).toMatchObject({ inScopeOrders: 2, agreeingOrders: 1, outOfScope: { 'web-checkout': 1, 'store-pos': 1, '(unknown)': 1 } });
    expect(result.diverging.map((d) => [d.orderId, d.evidence.legacyLines.length, d.evidence.newLines.length])).toEqual([['ord-legacy-only-new', 0, 1]]);
  });

  it('gives the classifier what it needs: cancellation, captures on any date, and whether the order is known', () => {
    const result = compareWithLedger(
      [legacy('ord-1', '2026-11-01', 5000), legacy('ord-unknown', '2026-11-01', 800)],
      newSide([sale('ord-1', 'legacy-oms', [ledger('2026-11-01', 0, []), { ...ledger('2026-11-09', 5000, ['cap-9']), lineKind: 'ADJUSTMENT' }], '2026-11-02T08:00:00.000Z'), ['ord-unknown', null]]),
      OPTIONS,
    );
    expect(result.diverging.map((d) => ({ orderId: d.orderId, known: d.knownToNewSide, cancelled: d.evidence.newCancelledAt, captured: d.evidence.newCaptured }))).toEqual([
      { orderId: 'ord-1', known: true, cancelled: '2026-11-02T08:00:00.000Z', captured: true },
      { orderId: 'ord-unknown', known: false, cancelled: null, captured: false },
    ]);
  });
});
