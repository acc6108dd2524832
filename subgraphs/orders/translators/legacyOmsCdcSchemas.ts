import { z } from 'zod';
import { COUNTRY_PATTERN, CURRENCY_PATTERN, epochMsSchema, hasKeyCount, int4Schema, isEventEpochMs, isInt, isInt4AtLeast, isString, isStringOfLength, matches, MONEY_PATTERN, moneySchema } from '../../../platform/events/index.js';

/** The legacy OMS's Debezium-style change record and its two tables' rows, as zod explains them. */
export const ordersRow = z.object({
  ORDER_ID: z.string().min(1),
  CUST_ID: z.string().min(1),
  STATUS_CD: z.number().int(),
  CHANNEL_CD: z.string(),
  CURRENCY: z.string().regex(CURRENCY_PATTERN),
  TOTAL_AMT: moneySchema,
  EMAIL: z.string(),
  SHIP_LINE1: z.string(),
  SHIP_CITY: z.string(),
  SHIP_ZIP: z.string(),
  SHIP_CTRY: z.string().regex(COUNTRY_PATTERN),
  CANCEL_RSN: z.string().nullable(),
  UPD_TS: epochMsSchema,
});
export const linesRow = z.object({ ORDER_ID: z.string().min(1), LINE_NO: z.number().int(), SKU: z.string().min(1), QTY: int4Schema(0), UNIT_PRICE: moneySchema });
export const changeSchema = z.object({
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  op: z.enum(['c', 'u', 'd', 'r']),
  ts_ms: epochMsSchema,
  source: z.object({ db: z.string(), table: z.enum(['ORDERS', 'ORDER_LINES']), lsn: z.number().int(), txId: z.number().int() }),
});
export type OrdersRow = z.infer<typeof ordersRow>;
export type LinesRow = z.infer<typeof linesRow>;
export type LegacyChange = z.infer<typeof changeSchema>;

/** A change whose record and rows all passed: what the translator works on. */
export interface AcceptedChange {
  change: LegacyChange;
  before: OrdersRow | LinesRow | null;
  after: OrdersRow | LinesRow | null;
}

const OPS: ReadonlySet<unknown> = new Set(changeSchema.shape.op.options);

function acceptsOrdersRow(row: unknown): row is OrdersRow {
  if (!hasKeyCount(row, 13)) return false;
  return (
    isStringOfLength(row.ORDER_ID, 1) &&
    isStringOfLength(row.CUST_ID, 1) &&
    isInt(row.STATUS_CD) &&
    isString(row.CHANNEL_CD) &&
    matches(row.CURRENCY, CURRENCY_PATTERN) &&
    matches(row.TOTAL_AMT, MONEY_PATTERN) &&
    isString(row.EMAIL) &&
    isString(row.SHIP_LINE1) &&
    isString(row.SHIP_CITY) &&
    isString(row.SHIP_ZIP) &&
    matches(row.SHIP_CTRY, COUNTRY_PATTERN) &&
    (row.CANCEL_RSN === null || isString(row.CANCEL_RSN)) &&
    isEventEpochMs(row.UPD_TS)
  );
}

function acceptsLinesRow(row: unknown): row is LinesRow {
  return hasKeyCount(row, 5) && isStringOfLength(row.ORDER_ID, 1) && isInt(row.LINE_NO) && isStringOfLength(row.SKU, 1) && isInt4AtLeast(row.QTY, 0) && matches(row.UNIT_PRICE, MONEY_PATTERN);
}

/**
 * The fast twin of `changeSchema` and of the row schema of its table (platform/events/fastChecks.ts):
 * the change and its rows when zod would accept all three with this output, else null, and the
 * translator runs the schemas, which word the reason. Objects with unknown keys are declined, so
 * the parsed objects can be kept as they are. legacyOmsCdcSchemas.unit.test.ts compares both paths.
 */
export function acceptLegacyChange(body: unknown): AcceptedChange | null {
  if (!hasKeyCount(body, 5)) return null;
  const { before, after, op, ts_ms: tsMs, source } = body;
  if (!OPS.has(op) || !isEventEpochMs(tsMs) || !hasKeyCount(source, 4)) return null;
  const { db, table, lsn, txId } = source;
  if (!isString(db) || !isInt(lsn) || !isInt(txId)) return null;
  const acceptsRow = table === 'ORDERS' ? acceptsOrdersRow : table === 'ORDER_LINES' ? acceptsLinesRow : null;
  if (!acceptsRow || !(before === null || acceptsRow(before)) || !(after === null || acceptsRow(after))) return null;
  return { change: body as LegacyChange, before, after };
}
