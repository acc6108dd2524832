import { describe, expect, it } from 'vitest';
import type { MoneyMovement, SaleFacts } from './recognizeSale.js';
import { recognizeSale, startOfBusinessDate, sumPerCurrency, totalsOf } from './recognizeSale.js';

const at = (iso: string) => Date.parse(iso);
const capture = (captureId: string, cents: number, time: string): MoneyMovement => ({ kind: 'capture', captureId, cents, at: at(time) });
const refund = (refundId: string, cents: number, time: string): MoneyMovement => ({ kind: 'refund', refundId, cents, at: at(time) });

/** Given an order confirmed on Nov 2, dispatched on Nov 3 (and again on Nov 4), captured in parts. */
const sale = (overrides: Partial<SaleFacts> = {}): SaleFacts => ({
  orderId: 'ord-1',
  currency: 'EUR',
  confirmedAt: at('2026-11-02T10:00:00.000Z'),
  cancelledAt: null,
  dispatchedAts: [at('2026-11-04T08:00:00.000Z'), at('2026-11-03T15:00:00.000Z')],
  movements: [capture('cap-1', 6000, '2026-11-03T15:05:00.000Z'), capture('cap-2', 4000, '2026-11-04T08:01:00.000Z'), refund('ref-1', 1550, '2026-11-06T09:00:00.000Z')],
  ...overrides,
});
const summary = (facts: SaleFacts) => recognizeSale(facts).lines.map((l) => `${l.businessDate} ${l.lineKind} ${l.cents} ${[...l.captureIds, ...l.refundIds].join(',')}`);

describe('recognizeSale', () => {
  it('recognizes on the date of the first dispatch by event time, later captures and refunds as adjustments on their own dates', () => {
    expect(recognizeSale(sale()).recognitionDate).toBe('2026-11-03');
    expect(summary(sale())).toEqual(['2026-11-03 RECOGNITION 6000 cap-1', '2026-11-04 ADJUSTMENT 4000 cap-2', '2026-11-06 ADJUSTMENT -1550 ref-1']);
    expect(sumPerCurrency(recognizeSale(sale()).lines)).toEqual([{ currency: 'EUR', cents: 8450 }]);
  });

  it('counts into D every capture and refund before D+1 00:00:00.000Z, the last millisecond included, the next one not', () => {
    const facts = sale({ movements: [capture('cap-0', 500, '2026-11-01T09:00:00.000Z'), refund('ref-0', 200, '2026-11-03T23:59:59.999Z'), capture('cap-9', 100, '2026-11-04T00:00:00.000Z')] });
    expect(summary(facts)).toEqual(['2026-11-03 RECOGNITION 300 cap-0,ref-0', '2026-11-04 ADJUSTMENT 100 cap-9']);
  });

  it('writes the RECOGNITION line even when nothing was captured', () => {
    expect(summary(sale({ movements: [] }))).toEqual(['2026-11-03 RECOGNITION 0 ']);
  });

  it('recognizes a confirmation that comes after the dispatch on the dispatch date, and nothing before it comes', () => {
    expect(summary(sale({ confirmedAt: at('2026-11-05T12:00:00.000Z') }))[0]).toBe('2026-11-03 RECOGNITION 6000 cap-1');
    expect(recognizeSale(sale({ confirmedAt: null }))).toEqual({ recognitionDate: null, lines: [] });
  });

  it('never recognizes an order cancelled at or before its first dispatch; one cancelled after it stays recognized', () => {
    expect(recognizeSale(sale({ cancelledAt: at('2026-11-03T15:00:00.000Z') }))).toEqual({ recognitionDate: null, lines: [] });
    expect(recognizeSale(sale({ cancelledAt: at('2026-11-01T15:00:00.000Z') })).lines).toEqual([]);
    expect(recognizeSale(sale({ cancelledAt: at('2026-11-03T15:00:00.001Z') })).recognitionDate).toBe('2026-11-03');
  });

  it('has nothing to recognize before a dispatch', () => {
    expect(recognizeSale(sale({ dispatchedAts: [] }))).toEqual({ recognitionDate: null, lines: [] });
  });

  it('is a function of the history: the order of movements given changes nothing', () => {
    const facts = sale();
    expect(recognizeSale({ ...facts, movements: [...facts.movements].reverse(), dispatchedAts: [...facts.dispatchedAts].reverse() })).toEqual(recognizeSale(facts));
  });

  it('totals per business date and currency, zero lines counted', () => {
    const lines = [...recognizeSale(sale()).lines, ...recognizeSale(sale({ orderId: 'ord-2', currency: 'GBP', movements: [] })).lines];
    expect(totalsOf(lines)).toEqual([
      { businessDate: '2026-11-03', currency: 'EUR', cents: 6000, lineCount: 1 },
      { businessDate: '2026-11-03', currency: 'GBP', cents: 0, lineCount: 1 },
      { businessDate: '2026-11-04', currency: 'EUR', cents: 4000, lineCount: 1 },
      { businessDate: '2026-11-06', currency: 'EUR', cents: -1550, lineCount: 1 },
    ]);
  });

  it('reads business dates strictly', () => {
    expect(startOfBusinessDate('2026-11-02')).toBe(at('2026-11-02T00:00:00.000Z'));
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-2', '02.11.2026', '']) expect(startOfBusinessDate(bad), bad).toBeNull();
  });
});
