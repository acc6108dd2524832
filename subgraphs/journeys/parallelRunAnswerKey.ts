import { moneyToCents } from '../../platform/events/index.js';
import type { OrderJourney } from './OrderJourney.js';
import type { FinanceExtractSet } from './planFinanceExtracts.js';

// The answer key of a parallel run over simulated journeys and the extracts planned for them:
// which orders must diverge and how each must be classified, derived from the journeys' business
// histories and the planted faults only. Nothing here reads the files, the projections or the
// finance contract: the recognition rule (finance_recognized_sale v1) and the class definitions
// (README, "Parallel run") are written again over the histories, so a parallel run that parses,
// reads, nets or classifies wrongly disagrees with this key.

/** The divergence classes, in precedence order, then UNEXPLAINED (the parallel run's vocabulary). */
export const EXPECTED_DIVERGENCE_CLASSES = ['CANCELLED_AFTER_BOOKING', 'NO_CAPTURE', 'MISSING_IN_NEW', 'MISSING_IN_LEGACY', 'AMOUNT', 'TIMING', 'UNEXPLAINED'] as const;
export type ExpectedDivergenceClass = (typeof EXPECTED_DIVERGENCE_CLASSES)[number];

export interface ExpectedDivergence {
  orderId: string;
  divergenceClass: ExpectedDivergenceClass;
  /** The other classes whose condition holds, in precedence order. */
  alsoMatching: ExpectedDivergenceClass[];
}

/** A problem the reader must report in the files, where it is. */
export interface ExpectedExtractProblem {
  kind: 'MISSING_FILE' | 'DUPLICATE_LINE' | 'MIS_ENCODED_LINE' | 'MALFORMED_LINE';
  file: string;
  line: number | null;
}

export interface ParallelRunAnswerKey {
  fromDate: string;
  toDate: string;
  missingDates: string[];
  problems: ExpectedExtractProblem[];
  /** Orders of the legacy OMS the run looks at: in the files, or entered through the OMS with recognized lines in the range. */
  inScopeOrders: number;
  /** In-scope orders whose nets agree on every compared date. */
  agreeingOrders: number;
  /** Orders with recognized lines in the range that never passed through the legacy OMS. */
  outOfScopeOrders: number;
  /** By order id. */
  divergences: ExpectedDivergence[];
}

const DAY_MS = 86_400_000;
const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A recognized ledger line of the new side, as the contract's rule gives it, reduced to what the comparison uses. */
interface NewLine {
  businessDate: string;
  cents: number;
  currency: string;
}

/** The order's ledger by the finance_recognized_sale v1 rule, from its history; empty while the orders context does not know it. */
function recognizedLines(journey: OrderJourney): NewLine[] {
  if (!journey.orderPublished) return [];
  const { order } = journey;
  const confirmedAt = order.steps.find((s) => s.kind === 'confirm')?.at ?? null;
  const cancelledAt = order.steps.find((s) => s.kind === 'cancel')?.at ?? null;
  const dispatches = journey.shipments.flatMap((s) => s.steps.flatMap((x) => (x.kind === 'dispatch' ? [x.at] : [])));
  if (confirmedAt === null || dispatches.length === 0) return [];
  const firstDispatch = Math.min(...dispatches);
  if (cancelledAt !== null && cancelledAt <= firstDispatch) return [];
  const endOfD = Date.parse(`${dateOf(firstDispatch)}T00:00:00.000Z`) + DAY_MS;
  const moves = journey.payments.flatMap((p) => p.steps.flatMap((s) => (s.kind === 'capture' ? [{ at: s.at, cents: moneyToCents(s.amount) }] : s.kind === 'refund' ? [{ at: s.at, cents: -moneyToCents(s.amount) }] : [])));
  const recognition = { businessDate: dateOf(firstDispatch), cents: moves.filter((m) => m.at < endOfD).reduce((sum, m) => sum + m.cents, 0), currency: order.currency };
  return [recognition, ...moves.filter((m) => m.at >= endOfD).map((m) => ({ businessDate: dateOf(m.at), cents: m.cents, currency: order.currency }))];
}

/** Net per currency, zero nets left out (an amount of zero is no booking to compare). */
function netOf(lines: ReadonlyArray<{ cents: number; currency: string }>): Map<string, number> {
  const net = new Map<string, number>();
  for (const l of lines) net.set(l.currency, (net.get(l.currency) ?? 0) + l.cents);
  for (const [currency, cents] of net) if (cents === 0) net.delete(currency);
  return net;
}
const sameNet = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([currency, cents]) => b.get(currency) === cents);
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** What the parallel run over `extracts` must find for these journeys. */
export function parallelRunAnswerKey(journeys: readonly OrderJourney[], extracts: FinanceExtractSet): ParallelRunAnswerKey {
  const { fromDate, toDate } = extracts;
  const missingDates = extracts.faults.filter((f) => f.kind === 'MISSING_FILE').map((f) => f.businessDate).sort();
  const compared = (date: string) => date >= fromDate && date <= toDate && !missingDates.includes(date);
  const readableByOrder = new Map<string, typeof extracts.readableBookings>();
  for (const b of extracts.readableBookings) readableByOrder.set(b.orderId, [...(readableByOrder.get(b.orderId) ?? []), b]);

  let inScopeOrders = 0;
  let outOfScopeOrders = 0;
  const divergences: ExpectedDivergence[] = [];
  for (const journey of journeys) {
    const legacyLines = (readableByOrder.get(journey.orderId) ?? []).filter((b) => compared(b.bookingDate));
    const newLines = recognizedLines(journey);
    const seen = legacyLines.length > 0 || newLines.some((l) => l.businessDate >= fromDate && l.businessDate <= toDate);
    if (!seen) continue;
    if (!journey.legacy && legacyLines.length === 0) {
      outOfScopeOrders++;
      continue;
    }
    inScopeOrders++;
    const newCompared = newLines.filter((l) => compared(l.businessDate));
    const dates = new Set([...legacyLines.map((l) => l.bookingDate), ...newCompared.map((l) => l.businessDate)]);
    const diverges = [...dates].some((d) => !sameNet(netOf(legacyLines.filter((l) => l.bookingDate === d)), netOf(newCompared.filter((l) => l.businessDate === d))));
    if (!diverges) continue;

    const legacyDates = new Set(legacyLines.map((l) => l.bookingDate));
    const newDates = new Set(newCompared.map((l) => l.businessDate));
    const booked = legacyLines.some((l) => l.cents > 0);
    const comparable = legacyDates.size > 0 && newDates.size > 0 && sameSet(new Set(legacyLines.map((l) => l.currency)), new Set(newCompared.map((l) => l.currency)));
    const totalsAgree = sameNet(netOf(legacyLines), netOf(newCompared));
    const holds: Record<Exclude<ExpectedDivergenceClass, 'UNEXPLAINED'>, boolean> = {
      // The legacy booked it and the business cancelled it afterwards: its cancellation line is in the files, or the order it booked was cancelled.
      CANCELLED_AFTER_BOOKING: legacyLines.some((l) => l.cents < 0) || (booked && journey.orderPublished && journey.order.steps.some((s) => s.kind === 'cancel')),
      // Booked by the legacy, and no payment of the journey ever captured anything.
      NO_CAPTURE: booked && !journey.payments.some((p) => p.steps.some((s) => s.kind === 'capture')),
      MISSING_IN_NEW: legacyDates.size > 0 && newDates.size === 0,
      MISSING_IN_LEGACY: newDates.size > 0 && legacyDates.size === 0,
      AMOUNT: comparable && !totalsAgree,
      TIMING: comparable && (!sameSet(legacyDates, newDates) || totalsAgree),
    };
    const matching = EXPECTED_DIVERGENCE_CLASSES.filter((c): c is Exclude<ExpectedDivergenceClass, 'UNEXPLAINED'> => c !== 'UNEXPLAINED' && holds[c]);
    divergences.push({ orderId: journey.orderId, divergenceClass: matching[0] ?? 'UNEXPLAINED', alsoMatching: matching.slice(1) });
  }
  return {
    fromDate,
    toDate,
    missingDates,
    problems: extracts.faults.filter((f): f is typeof f & { kind: ExpectedExtractProblem['kind'] } => f.kind !== 'WRONG_CURRENCY').map((f) => ({ kind: f.kind, file: f.file, line: f.line })),
    inScopeOrders,
    agreeingOrders: inScopeOrders - divergences.length,
    outOfScopeOrders,
    divergences: divergences.sort((a, b) => (a.orderId < b.orderId ? -1 : 1)),
  };
}
