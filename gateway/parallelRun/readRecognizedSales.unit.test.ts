import { describe, expect, it } from 'vitest';
import type { ContractAnswer, RecognizedSaleQuery } from './readRecognizedSales.js';
import { readRecognizedSales } from './readRecognizedSales.js';

/**
 * A stand-in for finance_recognized_sale v1 behind the query port (the real contract is read in
 * parallelRun.e2e.test.ts): one order dispatched per day, and the contract's refusals (more than
 * 31 dates; more candidates than a cap, here 3 per request).
 */
function fakeContract(cap = 3) {
  const requests: string[] = [];
  const query: RecognizedSaleQuery = async (document, variables): Promise<ContractAnswer> => {
    if (document.includes('recognizedSaleLedger')) {
      const { fromDate, toDate } = variables as { fromDate: string; toDate: string };
      requests.push(`${fromDate}..${toDate}`);
      const days = (Date.parse(toDate) - Date.parse(fromDate)) / 86_400_000 + 1;
      if (days > 31) return { errors: [{ message: 'at most 31 business dates', extensions: { code: 'BAD_USER_INPUT' } }] };
      if (days > cap) return { errors: [{ message: `${days} candidate orders, above the cap`, extensions: { code: 'BAD_USER_INPUT' } }] };
      const lines = Array.from({ length: days }, (_, i) => ({ orderId: `ord-${new Date(Date.parse(fromDate) + i * 86_400_000).toISOString().slice(0, 10)}`, businessDate: fromDate }));
      return { data: { recognizedSaleLedger: { lines } } };
    }
    const ids = Object.entries(variables) as Array<[string, string]>;
    requests.push(`sales ${ids.length}`);
    return {
      data: Object.fromEntries(
        ids.map(([alias, orderId]) => [alias, orderId === 'ord-unknown' ? null : { orderId, sourceSystem: 'legacy-oms', orderCancelledAt: null, recognitionDate: '2026-11-01', ledgerLines: [{ businessDate: '2026-11-01', lineKind: 'RECOGNITION', amount: { amount: '-12.30', currency: 'EUR' }, captureIds: [], refundIds: ['ref-1'] }] }]),
      ),
    };
  };
  return { query, requests };
}

describe('readRecognizedSales', () => {
  it('reads the ledger in windows of at most 31 dates, halving a window the contract refuses, then every order in batches', async () => {
    const { query, requests } = fakeContract(20);
    const side = await readRecognizedSales(query, { fromDate: '2026-10-01', toDate: '2026-11-20', orderIds: ['ord-unknown'], batchSize: 40 });
    expect(requests.filter((r) => r.includes('..'))).toEqual(['2026-10-01..2026-10-31', '2026-10-01..2026-10-16', '2026-10-17..2026-10-31', '2026-11-01..2026-11-20']);
    expect(side.ledgerOrderIds).toHaveLength(51);
    expect(side.ledgerLinesRead).toBe(51);
    expect(requests.filter((r) => r.startsWith('sales'))).toEqual(['sales 40', 'sales 12']);
    expect(side.sales.get('ord-unknown')).toBeNull();
    expect(side.sales.get('ord-2026-10-05')).toEqual({ orderId: 'ord-2026-10-05', sourceSystem: 'legacy-oms', orderCancelledAt: null, recognitionDate: '2026-11-01', ledgerLines: [{ businessDate: '2026-11-01', lineKind: 'RECOGNITION', cents: -1230, currency: 'EUR', captureIds: [], refundIds: ['ref-1'] }] });
  });

  it('fails with NEW_SIDE_UNREADABLE when even one day is refused, or on any other error', async () => {
    const { query } = fakeContract(0);
    await expect(readRecognizedSales(query, { fromDate: '2026-11-01', toDate: '2026-11-02', orderIds: [] })).rejects.toMatchObject({ code: 'NEW_SIDE_UNREADABLE', message: expect.stringContaining('recognizedSaleLedger from 2026-11-01 to 2026-11-01') });
    const broken: RecognizedSaleQuery = async () => ({ errors: [{ message: 'relation "x.orders" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    await expect(readRecognizedSales(broken, { fromDate: '2026-11-01', toDate: '2026-11-02', orderIds: [] })).rejects.toMatchObject({ code: 'NEW_SIDE_UNREADABLE', message: expect.stringContaining('Fix: check DATABASE_URL') });
  });
});
