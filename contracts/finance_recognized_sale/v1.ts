import { SUPPORTED_YEARS } from '../../platform/subgraph/index.js';
import { GraphQLError } from 'graphql';
import type { DerivedFieldContext, DerivedFieldResolvers } from '../../gateway/contracts/index.js';
import { moneyToCents } from '../../platform/events/index.js';
import type { LedgerDateTotal, LedgerLine, MoneyMovement, SaleFacts } from './recognizeSale.js';
import { amountOf, compareLedgerLines, firstDispatchOf, recognitionDateOf, recognizeSale, startOfBusinessDate, sumPerCurrency, totalsOf } from './recognizeSale.js';

/** Longest range of business dates one ledger request may cover, both ends included. */
export const MAX_LEDGER_DATES = 31;
/**
 * Most candidate orders one ledger request may compute: each is read in full (payments, captures,
 * refunds, shipments), batched into one statement per table, and its lines held in memory.
 */
export const MAX_CANDIDATE_ORDERS = 5000;
const DAY_MS = 86_400_000;

type Resolve = DerivedFieldContext['resolve'];

const millis = (value: unknown): number | null => (value === null || value === undefined ? null : new Date(value as string | Date).getTime());
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The event times of the order's dispatches, read through fulfillment/v1 (batched by the request's loaders). */
async function readDispatches(orderId: string, resolve: Resolve): Promise<number[]> {
  const shipments = list(await resolve('fulfillment/v1:OrderFulfillment.shipments', { orderId }));
  const times = await Promise.all(shipments.map(async (s) => millis(await resolve('fulfillment/v1:Shipment.dispatchedAt', s))));
  return times.filter((t): t is number => t !== null);
}

/** Captures and refunds over all of the order's payment attempts, read through payments/v1. */
async function readMovements(orderId: string, resolve: Resolve): Promise<MoneyMovement[]> {
  const payments = list(await resolve('payments/v1:OrderPayments.payments', { orderId }));
  const [captures, refunds] = await Promise.all([
    Promise.all(payments.map(async (p) => list(await resolve('payments/v1:Payment.captures', p)))),
    Promise.all(payments.map(async (p) => list(await resolve('payments/v1:Payment.refunds', p)))),
  ]);
  const cents = async (money: unknown) => moneyToCents(String(await resolve('payments/v1:Money.amount', money)));
  return Promise.all([
    ...captures.flat().map(async (c): Promise<MoneyMovement> => ({
      kind: 'capture',
      captureId: String(await resolve('payments/v1:PaymentCapture.captureId', c)),
      cents: await cents(await resolve('payments/v1:PaymentCapture.amount', c)),
      at: millis(await resolve('payments/v1:PaymentCapture.capturedAt', c))!,
    })),
    ...refunds.flat().map(async (r): Promise<MoneyMovement> => ({
      kind: 'refund',
      refundId: String(await resolve('payments/v1:PaymentRefund.refundId', r)),
      cents: await cents(await resolve('payments/v1:PaymentRefund.amount', r)),
      at: millis(await resolve('payments/v1:PaymentRefund.refundedAt', r))!,
    })),
  ]);
}

/** Everything the rule reads of one order (an orders/v2 Order record), from the three contexts. */
async function readSaleFacts(order: unknown, resolve: Resolve): Promise<SaleFacts> {
  const orderId = String(await resolve('orders/v2:Order.orderId', order));
  const [confirmedAt, cancelledAt, orderTotal, dispatchedAts, movements] = await Promise.all([
    resolve('orders/v2:Order.confirmedAt', order),
    resolve('orders/v2:Order.cancelledAt', order),
    resolve('orders/v2:Order.orderTotal', order),
    readDispatches(orderId, resolve),
    readMovements(orderId, resolve),
  ]);
  return { orderId, currency: String(await resolve('orders/v2:Money.currency', orderTotal)), confirmedAt: millis(confirmedAt), cancelledAt: millis(cancelledAt), dispatchedAts, movements };
}

// One ledger per order record per request, shared by the fields that declare the ledger's sources
// (ledgerLines, recognizedTotal, the range). Records come from the request's loaders, so entries
// die with the request.
const sales = new WeakMap<object, Promise<LedgerLine[]>>();
function ledgerOf(order: unknown, resolve: Resolve): Promise<LedgerLine[]> {
  const key = order as object;
  let ledger = sales.get(key);
  if (!ledger) {
    ledger = readSaleFacts(order, resolve).then((facts) => recognizeSale(facts).lines);
    sales.set(key, ledger);
  }
  return ledger;
}

/** A business-date argument as the epoch ms of its 00:00:00.000Z, or a refusal that shows what was received. */
function dateArgument(name: string, value: unknown): number {
  const at = typeof value === 'string' ? startOfBusinessDate(value) : null;
  if (at === null) throw badInput(`${name} must be a UTC business date written YYYY-MM-DD (e.g. "2026-11-02"), years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}; received ${JSON.stringify(value)}.`);
  return at;
}

/** The range's [from, until) window of event time, or a precise refusal. */
function ledgerWindow(fromDate: unknown, toDate: unknown): { from: Date; until: Date } {
  const from = dateArgument('fromDate', fromDate);
  const to = dateArgument('toDate', toDate);
  if (from > to) throw badInput(`fromDate (${String(fromDate)}) is after toDate (${String(toDate)}): the range runs from the earlier date to the later, both included.`);
  const dates = (to - from) / DAY_MS + 1;
  if (dates > MAX_LEDGER_DATES) throw badInput(`recognizedSaleLedger covers at most ${MAX_LEDGER_DATES} business dates per request; fromDate ${String(fromDate)} to toDate ${String(toDate)} is ${dates}. Ask for shorter ranges.`);
  return { from: new Date(from), until: new Date(to + DAY_MS) };
}

/** The ledger of a range: candidates from two indexed lookups, each candidate's whole ledger by the rule, the lines dated in the range. */
async function ledgerBetween(fromDate: string, toDate: string, resolve: Resolve): Promise<{ lines: LedgerLine[]; totals: LedgerDateTotal[] }> {
  const window = ledgerWindow(fromDate, toDate);
  const [dispatched, moved] = await Promise.all([resolve('fulfillment/v1:Query.orderIdsDispatchedBetween', undefined, window), resolve('payments/v1:Query.orderIdsWithMoneyMovementBetween', undefined, window)]);
  const candidates = [...new Set([...list(dispatched), ...list(moved)].map(String))].sort();
  if (candidates.length > MAX_CANDIDATE_ORDERS) {
    throw badInput(`recognizedSaleLedger(fromDate: "${fromDate}", toDate: "${toDate}") has ${candidates.length} candidate orders (dispatched, captured or refunded in the range), above the cap of ${MAX_CANDIDATE_ORDERS} per request; ask for a shorter range.`);
  }
  const orders = (await Promise.all(candidates.map((orderId) => resolve('orders/v2:Query.order', undefined, { orderId })))).filter((o) => o !== null && o !== undefined);
  const ledgers = await Promise.all(orders.map((order) => ledgerOf(order, resolve)));
  const lines = ledgers.flat().filter((line) => line.businessDate >= fromDate && line.businessDate <= toDate).sort(compareLedgerLines);
  return { lines, totals: totalsOf(lines) };
}

type Money = { cents: number; currency: string };
const lineOf = (parent: unknown) => parent as LedgerLine;
const moneyOf = (parent: unknown) => parent as Money;
const totalOf = (parent: unknown) => parent as LedgerDateTotal;
const rangeOf = (parent: unknown) => parent as { lines: LedgerLine[]; totals: LedgerDateTotal[] };

/** Resolvers for the @derived fields of finance_recognized_sale v1; the rule is recognizeSale. */
export const derivedFields: DerivedFieldResolvers = {
  Query: {
    recognizedSaleLedger: (_values, { args, resolve }) => ledgerBetween(String(args.fromDate), String(args.toDate), resolve),
  },
  RecognizedSale: {
    firstDispatchedAt: async ([orderId], { resolve }) => {
      const first = firstDispatchOf(await readDispatches(String(orderId), resolve));
      return first === null ? null : new Date(first);
    },
    recognitionDate: async ([orderId, confirmedAt, cancelledAt], { resolve }) => recognitionDateOf({ confirmedAt: millis(confirmedAt), cancelledAt: millis(cancelledAt), dispatchedAts: await readDispatches(String(orderId), resolve) }),
    ledgerLines: (_values, { parent, resolve }) => ledgerOf(parent, resolve),
    recognizedTotal: async (_values, { parent, resolve }): Promise<Money[]> => sumPerCurrency(await ledgerOf(parent, resolve)),
  },
  RecognizedSaleLedger: {
    lines: (_values, { parent }) => rangeOf(parent).lines,
    totals: (_values, { parent }) => rangeOf(parent).totals,
  },
  RecognizedSaleLedgerLine: {
    orderId: (_values, { parent }) => lineOf(parent).orderId,
    businessDate: (_values, { parent }) => lineOf(parent).businessDate,
    lineKind: (_values, { parent }) => lineOf(parent).lineKind,
    amount: (_values, { parent }): Money => ({ cents: lineOf(parent).cents, currency: lineOf(parent).currency }),
    captureIds: (_values, { parent }) => lineOf(parent).captureIds,
    refundIds: (_values, { parent }) => lineOf(parent).refundIds,
    occurredAt: (_values, { parent }) => new Date(lineOf(parent).occurredAt),
  },
  LedgerDateTotal: {
    businessDate: (_values, { parent }) => totalOf(parent).businessDate,
    total: (_values, { parent }): Money => ({ cents: totalOf(parent).cents, currency: totalOf(parent).currency }),
    lineCount: (_values, { parent }) => totalOf(parent).lineCount,
  },
  LedgerMoney: {
    amount: (_values, { parent }) => amountOf(moneyOf(parent).cents),
    currency: (_values, { parent }) => moneyOf(parent).currency,
  },
};
