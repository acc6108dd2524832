import type { LedgerMoney, RecognizedSale, RecognizedSaleLedgerLine } from '../../contracts/generated/finance_recognized_sale_v1.js';
import { moneyToCents } from '../../platform/events/index.js';
import { parallelRunError, ParallelRunErrorCode } from './ParallelRunError.js';
import { businessDatesBetween } from './businessDatesBetween.js';

/** A GraphQL answer as both an in-process execution and a response over HTTP give it. */
export interface ContractAnswer {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Readonly<Record<string, unknown>> }>;
}

/**
 * Runs one operation against finance_recognized_sale v1 as the gateway serves it, for an
 * internal principal: the port the parallel run reads the new side through. The CLI runs the
 * compiled contract in-process (openRecognizedSaleQuery); the end-to-end test posts to a running
 * gateway over HTTP.
 */
export type RecognizedSaleQuery = (document: string, variables: Record<string, unknown>) => Promise<ContractAnswer>;

/** One ledger line of the new side, amounts in integer cents. */
export interface NewLedgerLine {
  businessDate: string;
  lineKind: RecognizedSaleLedgerLine['lineKind'];
  cents: number;
  currency: string;
  captureIds: string[];
  refundIds: string[];
}

/** What the parallel run reads of one order's recognized sale (its whole ledger, every date). */
export interface NewSideSale {
  orderId: string;
  sourceSystem: string | null;
  orderCancelledAt: string | null;
  recognitionDate: string | null;
  ledgerLines: NewLedgerLine[];
}

export interface NewSide {
  /** Orders with a ledger line dated in the range, in id order. */
  ledgerOrderIds: string[];
  /** Ledger lines dated in the range. */
  ledgerLinesRead: number;
  /** Every order asked for (the ledger's and the legacy files'); null when the orders context does not know it. */
  sales: Map<string, NewSideSale | null>;
}

export interface ReadRecognizedSalesOptions {
  fromDate: string;
  toDate: string;
  /** Orders to read besides those of the ledger: the legacy files'. */
  orderIds: readonly string[];
  /** Orders per request (aliases of recognizedSaleByOrder). Default 50. */
  batchSize?: number;
}

/** The contract's cap on one ledger request. */
const MAX_LEDGER_DATES = 31;

const LEDGER = /* GraphQL */ `
  query ParallelRunLedger($fromDate: String!, $toDate: String!) {
    recognizedSaleLedger(fromDate: $fromDate, toDate: $toDate) { lines { orderId businessDate } }
  }
`;
/**
 * One document for a batch: an alias per order, ids as variables (they come from files, never
 * spliced into the text), the selection once as a fragment (a batch of 50 stays far below an
 * internal principal's token and alias limits over HTTP).
 */
const salesDocument = (count: number) => /* GraphQL */ `
  query ParallelRunSales(${Array.from({ length: count }, (_, i) => `$o${i}: ID!`).join(', ')}) {
    ${Array.from({ length: count }, (_, i) => `o${i}: recognizedSaleByOrder(orderId: $o${i}) { ...Sale }`).join('\n    ')}
  }
  fragment Sale on RecognizedSale {
    orderId sourceSystem orderCancelledAt recognitionDate
    ledgerLines { businessDate lineKind amount { amount currency } captureIds refundIds }
  }
`;

type SaleAnswer = Pick<RecognizedSale, 'orderId' | 'sourceSystem' | 'orderCancelledAt' | 'recognitionDate'> & {
  ledgerLines: Array<Pick<RecognizedSaleLedgerLine, 'businessDate' | 'lineKind' | 'captureIds' | 'refundIds'> & { amount: LedgerMoney }>;
};

async function ask<T>(query: RecognizedSaleQuery, document: string, variables: Record<string, unknown>, what: string): Promise<{ data: T } | { errors: string[]; codes: string[] }> {
  const result = await query(document, variables);
  if (result.errors?.length) return { errors: result.errors.map((e) => e.message), codes: result.errors.map((e) => String(e.extensions?.code ?? '')) };
  if (!result.data) throw parallelRunError(ParallelRunErrorCode.NewSideUnreadable, `finance_recognized_sale v1 returned no data for ${what}.`);
  return { data: result.data as T };
}
const unreadable = (what: string, errors: string[]) =>
  parallelRunError(ParallelRunErrorCode.NewSideUnreadable, `finance_recognized_sale v1 could not be read (${what}): ${errors.join('; ')}. Fix: check DATABASE_URL and the contexts' schemas (--schemas), and that the projectors have run against that database.`);

/**
 * The ledger's order ids for a window of dates. The contract answers at most 31 dates and
 * refuses (BAD_USER_INPUT) a window with more candidate orders than its cap: such a window is
 * read again as two halves, down to single days.
 */
async function ledgerOrders(query: RecognizedSaleQuery, dates: readonly string[]): Promise<{ orderIds: Set<string>; lines: number }> {
  const orderIds = new Set<string>();
  let lines = 0;
  const windows: Array<readonly string[]> = [];
  for (let i = 0; i < dates.length; i += MAX_LEDGER_DATES) windows.push(dates.slice(i, i + MAX_LEDGER_DATES));
  while (windows.length > 0) {
    const window = windows.shift()!;
    const answer = await ask<{ recognizedSaleLedger: { lines: Array<{ orderId: string }> } }>(query, LEDGER, { fromDate: window[0], toDate: window.at(-1) }, `ledger ${window[0]}..${window.at(-1)}`);
    if ('errors' in answer) {
      if (window.length > 1 && answer.codes.every((code) => code === 'BAD_USER_INPUT')) {
        const half = Math.ceil(window.length / 2);
        windows.unshift(window.slice(0, half), window.slice(half));
        continue;
      }
      throw unreadable(`recognizedSaleLedger from ${window[0]} to ${window.at(-1)}`, answer.errors);
    }
    for (const line of answer.data.recognizedSaleLedger.lines) orderIds.add(line.orderId);
    lines += answer.data.recognizedSaleLedger.lines.length;
  }
  return { orderIds, lines };
}

const saleOf = (answer: SaleAnswer | null): NewSideSale | null =>
  answer === null
    ? null
    : {
        orderId: answer.orderId,
        sourceSystem: answer.sourceSystem ?? null,
        orderCancelledAt: answer.orderCancelledAt ?? null,
        recognitionDate: answer.recognitionDate ?? null,
        ledgerLines: answer.ledgerLines.map((l) => ({ businessDate: l.businessDate, lineKind: l.lineKind, cents: moneyToCents(l.amount.amount), currency: l.amount.currency, captureIds: l.captureIds, refundIds: l.refundIds })),
      };

/**
 * The new side of a parallel run, through finance_recognized_sale v1 only: the orders with ledger
 * lines dated in the range (recognizedSaleLedger, in windows of at most 31 dates), then each of
 * those and of `orderIds` in full (recognizedSaleByOrder: where the order came from, its
 * cancellation, its whole ledger), in batches.
 */
export async function readRecognizedSales(query: RecognizedSaleQuery, options: ReadRecognizedSalesOptions): Promise<NewSide> {
  const ledger = await ledgerOrders(query, businessDatesBetween(options.fromDate, options.toDate));
  const ledgerOrderIds = [...ledger.orderIds].sort();
  const ids = [...new Set([...ledgerOrderIds, ...options.orderIds])].sort();
  const batchSize = options.batchSize ?? 50;
  const sales = new Map<string, NewSideSale | null>();
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    const answer = await ask<Record<string, SaleAnswer | null>>(query, salesDocument(batch.length), Object.fromEntries(batch.map((id, k) => [`o${k}`, id])), 'recognizedSaleByOrder');
    if ('errors' in answer) throw unreadable(`recognizedSaleByOrder for ${batch.length} orders from ${batch[0]}`, answer.errors);
    batch.forEach((id, k) => sales.set(id, saleOf(answer.data[`o${k}`] ?? null)));
  }
  return { ledgerOrderIds, ledgerLinesRead: ledger.lines, sales };
}
