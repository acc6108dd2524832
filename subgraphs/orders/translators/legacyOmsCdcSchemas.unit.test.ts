import { describe, expect, it } from 'vitest';
import { expectSoundFastPath, multiMutations, singleMutations } from '../../../test/support/fastPathSoundness.js';
import type { AcceptedChange } from './legacyOmsCdcSchemas.js';
import { acceptLegacyChange, changeSchema, linesRow, ordersRow } from './legacyOmsCdcSchemas.js';

const header = { ORDER_ID: 'ord-9', CUST_ID: 'cus-1', STATUS_CD: 1, CHANNEL_CD: 'S', CURRENCY: 'EUR', TOTAL_AMT: '25.00', EMAIL: 'a@example.com', SHIP_LINE1: '1 Main St', SHIP_CITY: 'Lyon', SHIP_ZIP: '69001', SHIP_CTRY: 'FR', CANCEL_RSN: null, UPD_TS: 1767225600000 };
const line = { ORDER_ID: 'ord-9', LINE_NO: 1, SKU: 'SKU-1', QTY: 2, UNIT_PRICE: '10.00' };
const change = (table: string, op: string, before: object | null, after: object | null) => ({ before, after, op, ts_ms: 1767225600000, source: { db: 'oms', table, lsn: 7, txId: 3 } });
const valid = [
  change('ORDERS', 'c', null, header),
  change('ORDERS', 'u', header, { ...header, STATUS_CD: 9, CANCEL_RSN: 'OOS', EMAIL: '', CHANNEL_CD: '' }),
  change('ORDERS', 'd', header, null),
  change('ORDER_LINES', 'c', null, line),
  change('ORDER_LINES', 'u', line, { ...line, QTY: 0, LINE_NO: -3 }),
  change('ORDER_LINES', 'd', line, null),
  change('ORDER_LINES', 'r', null, null),
];

/** The zod path of the translator: the change, then the rows of its table. */
function zodPath(input: unknown): { success: true; data: AcceptedChange } | { success: false } {
  const parsed = changeSchema.safeParse(input);
  if (!parsed.success) return { success: false };
  const rowSchema = parsed.data.source.table === 'ORDERS' ? ordersRow : linesRow;
  const before = parsed.data.before === null ? null : rowSchema.safeParse(parsed.data.before);
  const after = parsed.data.after === null ? null : rowSchema.safeParse(parsed.data.after);
  if ((before && !before.success) || (after && !after.success)) return { success: false };
  return { success: true, data: { change: parsed.data, before: before?.data ?? null, after: after?.data ?? null } };
}

describe('the legacy CDC fast path', () => {
  it('accepts only changes whose record and rows zod accepts, with equal values', () => {
    const mutated = [...valid.flatMap(singleMutations), ...valid.flatMap((v, i) => multiMutations(v, 500, i + 1)), change('ORDERS', 'u', line, header), change('ORDER_LINES', 'u', line, header)];
    const counts = expectSoundFastPath({ fast: acceptLegacyChange, zod: zodPath }, valid, mutated);
    expect(counts.accepted).toBeGreaterThan(valid.length * 10);
  });
});
