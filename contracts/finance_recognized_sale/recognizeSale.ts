import { isSupportedDate } from '../../platform/subgraph/index.js';
import { centsToMoney } from '../../platform/events/index.js';

// The recognition rule of finance_recognized_sale v1 (v1.graphql, @contract description), as a
// pure function of one order's facts: no clock, no arrival order, so a replay reaches the same
// ledger as the live run.

const DAY_MS = 86_400_000;

/** A capture (+) or a refund (−) of one of the order's payment attempts. Times are event times, epoch ms. */
export type MoneyMovement = { kind: 'capture'; captureId: string; cents: number; at: number } | { kind: 'refund'; refundId: string; cents: number; at: number };

/** What the rule reads of one order, from the three contexts. Times are event times, epoch ms. */
export interface SaleFacts {
  orderId: string;
  /** The order's currency (ISO 4217): every line is in it. */
  currency: string;
  confirmedAt: number | null;
  cancelledAt: number | null;
  /** `dispatchedAt` of each of the order's shipments that was dispatched. */
  dispatchedAts: readonly number[];
  /** Captures and refunds over all of the order's payment attempts. */
  movements: readonly MoneyMovement[];
}

export type LedgerLineKind = 'RECOGNITION' | 'ADJUSTMENT';

export interface LedgerLine {
  orderId: string;
  /** UTC business date, YYYY-MM-DD. */
  businessDate: string;
  lineKind: LedgerLineKind;
  /** Signed: captures minus refunds. */
  cents: number;
  currency: string;
  captureIds: string[];
  refundIds: string[];
  /** RECOGNITION: the first dispatch; ADJUSTMENT: its capture or refund. Epoch ms. */
  occurredAt: number;
}

export interface RecognizedSale {
  /** D, or null while the sale is not recognized. */
  recognitionDate: string | null;
  /** An order's lines in ledger order (see compareLedgerLines); empty while not recognized. */
  lines: LedgerLine[];
}

/** The UTC business date (YYYY-MM-DD) of an event time. */
export const businessDateOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** Epoch ms of a business date's 00:00:00.000Z, or null when `date` is not a real YYYY-MM-DD date in the supported years. */
export function startOfBusinessDate(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match || !isSupportedDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The event time of the order's first ShipmentDispatched, or null. */
export const firstDispatchOf = (dispatchedAts: readonly number[]): number | null => (dispatchedAts.length === 0 ? null : Math.min(...dispatchedAts));

/**
 * D, when the rule recognizes the sale: the order is confirmed (at any time), it was dispatched,
 * and it was not cancelled at or before its first dispatch. Null otherwise.
 */
export function recognitionDateOf(facts: Pick<SaleFacts, 'confirmedAt' | 'cancelledAt' | 'dispatchedAts'>): string | null {
  const firstDispatch = firstDispatchOf(facts.dispatchedAts);
  if (facts.confirmedAt === null || firstDispatch === null) return null;
  if (facts.cancelledAt !== null && facts.cancelledAt <= firstDispatch) return null;
  return businessDateOf(firstDispatch);
}

/** Code-unit order, as `Array.prototype.sort` uses: the same everywhere, whatever the locale. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const KIND_RANK: Record<LedgerLineKind, number> = { RECOGNITION: 0, ADJUSTMENT: 1 };
const movementKey = (line: LedgerLine) => [line.captureIds.length > 0 ? 0 : 1, line.captureIds[0] ?? line.refundIds[0] ?? ''] as const;

/**
 * Ledger order: business date, order id, the RECOGNITION line before adjustments, adjustments by
 * event time, a capture before a refund of the same instant, then by capture or refund id.
 */
export function compareLedgerLines(a: LedgerLine, b: LedgerLine): number {
  const [aMove, aId] = movementKey(a);
  const [bMove, bId] = movementKey(b);
  return compareText(a.businessDate, b.businessDate) || compareText(a.orderId, b.orderId) || KIND_RANK[a.lineKind] - KIND_RANK[b.lineKind] || a.occurredAt - b.occurredAt || aMove - bMove || compareText(aId, bId);
}

const signed = (m: MoneyMovement) => (m.kind === 'capture' ? m.cents : -m.cents);

/**
 * The order's ledger: on D one RECOGNITION line (even when zero) with its captures minus its
 * refunds dated before D+1 00:00:00.000Z; each later capture (+) or refund (−) an ADJUSTMENT line
 * on its own business date. Nothing while the sale is not recognized.
 */
export function recognizeSale(facts: SaleFacts): RecognizedSale {
  const recognitionDate = recognitionDateOf(facts);
  if (recognitionDate === null) return { recognitionDate, lines: [] };
  const endOfD = startOfBusinessDate(recognitionDate)! + DAY_MS;
  const byD = facts.movements.filter((m) => m.at < endOfD);
  const recognition: LedgerLine = {
    orderId: facts.orderId,
    businessDate: recognitionDate,
    lineKind: 'RECOGNITION',
    cents: byD.reduce((sum, m) => sum + signed(m), 0),
    currency: facts.currency,
    captureIds: byD.flatMap((m) => (m.kind === 'capture' ? [m.captureId] : [])).sort(),
    refundIds: byD.flatMap((m) => (m.kind === 'refund' ? [m.refundId] : [])).sort(),
    occurredAt: firstDispatchOf(facts.dispatchedAts)!,
  };
  const adjustments = facts.movements
    .filter((m) => m.at >= endOfD)
    .map((m): LedgerLine => ({
      orderId: facts.orderId,
      businessDate: businessDateOf(m.at),
      lineKind: 'ADJUSTMENT',
      cents: signed(m),
      currency: facts.currency,
      captureIds: m.kind === 'capture' ? [m.captureId] : [],
      refundIds: m.kind === 'refund' ? [m.refundId] : [],
      occurredAt: m.at,
    }));
  return { recognitionDate, lines: [recognition, ...adjustments].sort(compareLedgerLines) };
}

export interface LedgerDateTotal {
  businessDate: string;
  currency: string;
  cents: number;
  lineCount: number;
}

/** Totals per business date and currency, by date then currency; only pairs that have lines. */
export function totalsOf(lines: readonly LedgerLine[]): LedgerDateTotal[] {
  const totals = new Map<string, LedgerDateTotal>();
  for (const line of lines) {
    const key = `${line.businessDate} ${line.currency}`;
    const total = totals.get(key) ?? { businessDate: line.businessDate, currency: line.currency, cents: 0, lineCount: 0 };
    total.cents += line.cents;
    total.lineCount += 1;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => compareText(a.businessDate, b.businessDate) || compareText(a.currency, b.currency));
}

/** Sum per currency, by currency: the recognized total (captures minus refunds) when given all of an order's lines. */
export function sumPerCurrency(lines: readonly LedgerLine[]): Array<{ currency: string; cents: number }> {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.currency, (sums.get(line.currency) ?? 0) + line.cents);
  return [...sums].map(([currency, cents]) => ({ currency, cents })).sort((a, b) => compareText(a.currency, b.currency));
}

/** A signed amount in cents as the contract's exact decimal string ("-12.30"). */
export const amountOf = (cents: number): string => centsToMoney(cents);
