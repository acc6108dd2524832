import type { DatedAmount, DivergenceEvidence } from './classifyDivergence.js';
import type { MoneyAmount } from './netPerCurrency.js';
import { moneyOf, netPerCurrency, sameNet } from './netPerCurrency.js';
import type { LegacyBookingLine } from './parseFinanceExtract.js';
import type { NewSide } from './readRecognizedSales.js';

/** One compared date of an order where either side has lines: each side's net. */
export interface DatedNets {
  businessDate: string;
  legacy: MoneyAmount[];
  new: MoneyAmount[];
  /** False when the nets differ. */
  agree: boolean;
}

/** An in-scope order whose nets differ on at least one compared date, with what its class is decided on. */
export interface DivergingOrder {
  orderId: string;
  /** Every compared date with lines on either side, by date. */
  dates: DatedNets[];
  /** Where its legacy lines were read: `file:line`. */
  legacyLineRefs: string[];
  /** The new side's source system; null when unknown (or the order is unknown there). */
  sourceSystem: string | null;
  /** False when the orders context does not know the order. */
  knownToNewSide: boolean;
  evidence: DivergenceEvidence;
}

export interface LedgerComparison {
  /** Orders of the legacy OMS looked at: in the files, or entered through it with ledger lines in the range. */
  inScopeOrders: number;
  /** In-scope orders whose nets agree on every compared date. */
  agreeingOrders: number;
  diverging: DivergingOrder[];
  /** Orders with ledger lines in the range that never passed through the legacy OMS, per source system ("(unknown)" when null). */
  outOfScope: Record<string, number>;
  /** New-side ledger lines dated on a day without its legacy file: not compared. */
  newLinesOnMissingDates: number;
}

export interface CompareOptions {
  fromDate: string;
  toDate: string;
  /** The days that have a legacy file: the only days compared. */
  comparedDates: readonly string[];
  /** The `sourceSystem` of orders entered through the legacy OMS. */
  legacySourceSystem: string;
}

const UNKNOWN_SOURCE = '(unknown)';

/**
 * Nets per order and business date on each side, compared on the days that have a legacy file.
 * Legacy net: the sum of the order's usable lines of that day (a duplicate counted once, a
 * cancellation negative). New net: the sum of the order's finance_recognized_sale ledger lines of
 * that business date (RECOGNITION and ADJUSTMENT). Equal nets per currency are no divergence;
 * zero nets count as nothing. An order is in scope when the files hold it or the new side says
 * it was entered through the legacy OMS; the others are counted, per source system.
 */
export function compareWithLedger(legacyLines: readonly LegacyBookingLine[], newSide: NewSide, options: CompareOptions): LedgerComparison {
  const compared = new Set(options.comparedDates);
  const inRange = (date: string) => date >= options.fromDate && date <= options.toDate;
  const legacyByOrder = new Map<string, LegacyBookingLine[]>();
  for (const line of legacyLines) legacyByOrder.set(line.orderId, [...(legacyByOrder.get(line.orderId) ?? []), line]);

  const result: LedgerComparison = { inScopeOrders: 0, agreeingOrders: 0, diverging: [], outOfScope: {}, newLinesOnMissingDates: 0 };
  const orderIds = [...new Set([...legacyByOrder.keys(), ...newSide.ledgerOrderIds])].sort();
  for (const orderId of orderIds) {
    const sale = newSide.sales.get(orderId) ?? null;
    const legacy = (legacyByOrder.get(orderId) ?? []).filter((l) => compared.has(l.bookingDate));
    const newLines = sale?.ledgerLines.filter((l) => inRange(l.businessDate)) ?? [];
    if (legacy.length === 0 && sale?.sourceSystem !== options.legacySourceSystem) {
      const source = sale?.sourceSystem ?? UNKNOWN_SOURCE;
      result.outOfScope[source] = (result.outOfScope[source] ?? 0) + 1;
      continue;
    }
    result.inScopeOrders++;
    result.newLinesOnMissingDates += newLines.filter((l) => !compared.has(l.businessDate)).length;
    const legacyAmounts: DatedAmount[] = legacy.map((l) => ({ businessDate: l.bookingDate, cents: l.cents, currency: l.currency }));
    const newAmounts: DatedAmount[] = newLines.filter((l) => compared.has(l.businessDate)).map((l) => ({ businessDate: l.businessDate, cents: l.cents, currency: l.currency }));
    const dates = [...new Set([...legacyAmounts, ...newAmounts].map((l) => l.businessDate))].sort().map((businessDate): DatedNets => {
      const legacyNet = netPerCurrency(legacyAmounts.filter((l) => l.businessDate === businessDate));
      const newNet = netPerCurrency(newAmounts.filter((l) => l.businessDate === businessDate));
      return { businessDate, legacy: moneyOf(legacyNet), new: moneyOf(newNet), agree: sameNet(legacyNet, newNet) };
    });
    if (dates.every((d) => d.agree)) {
      result.agreeingOrders++;
      continue;
    }
    result.diverging.push({
      orderId,
      dates,
      legacyLineRefs: legacy.map((l) => `${l.file}:${l.line}`),
      sourceSystem: sale?.sourceSystem ?? null,
      knownToNewSide: sale !== null,
      evidence: {
        legacyLines: legacyAmounts,
        newLines: newAmounts,
        newCancelledAt: sale?.orderCancelledAt ?? null,
        newCaptured: sale?.ledgerLines.some((l) => l.captureIds.length > 0) ?? false,
      },
    });
  }
  return result;
}
