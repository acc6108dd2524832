import type { CentsInCurrency } from './netPerCurrency.js';
import { netPerCurrency, sameNet } from './netPerCurrency.js';

/**
 * Why the legacy extract and the new ledger disagree about an order. The first six, in this
 * order, are the precedence: an order gets the first whose condition holds, and the others that
 * hold are listed beside it. UNEXPLAINED is a divergence none of them explains; only those count
 * against the cut-over.
 */
export const DIVERGENCE_CLASSES = ['CANCELLED_AFTER_BOOKING', 'NO_CAPTURE', 'MISSING_IN_NEW', 'MISSING_IN_LEGACY', 'AMOUNT', 'TIMING', 'UNEXPLAINED'] as const;
export type DivergenceClass = (typeof DIVERGENCE_CLASSES)[number];
type ExplainingClass = Exclude<DivergenceClass, 'UNEXPLAINED'>;

/** The condition of each class, as written in the report and the README. */
export const DIVERGENCE_CLASS_DEFINITIONS: Readonly<Record<DivergenceClass, string>> = {
  CANCELLED_AFTER_BOOKING: 'The legacy booked the order and it was cancelled afterwards: the files hold a cancellation (negative) line for it, or they hold its booking and the new side says the order was cancelled on or after the booking date.',
  NO_CAPTURE: 'The legacy booked the order (a positive line) and the new side shows no capture for it on any date: the legacy books at release whether or not money was taken, the new side recognizes captures.',
  MISSING_IN_NEW: 'The files hold lines for the order on the compared dates and the new side has no ledger line for it on any of them.',
  MISSING_IN_LEGACY: 'The new side has ledger lines for the order on the compared dates and the files hold none for it.',
  AMOUNT: 'Both sides book the order, in the same currencies, and their totals over the compared dates differ.',
  TIMING: 'Both sides book the order, in the same currencies, on different dates: one side has a line on a date where the other has none, or the totals agree and only the dates the money falls on differ.',
  UNEXPLAINED: 'A divergence none of the classes above explains (e.g. the sides book the order in different currencies).',
};

/** A signed amount on a business date (YYYY-MM-DD). */
export interface DatedAmount extends CentsInCurrency {
  businessDate: string;
}

/** What the classes are decided on, for one order whose nets differ on some compared date. */
export interface DivergenceEvidence {
  /** The order's usable legacy lines on the compared dates (bookings positive, cancellations negative). */
  legacyLines: readonly DatedAmount[];
  /** The order's new-side ledger lines on the compared dates (a zero RECOGNITION line included). */
  newLines: readonly DatedAmount[];
  /** The order's cancellation on the new side (RFC 3339 event time); null when not cancelled, or the order is unknown there. */
  newCancelledAt: string | null;
  /** True when the new side's ledger for the order, on any date, has a capture. */
  newCaptured: boolean;
}

export interface Classification {
  divergenceClass: DivergenceClass;
  /** The other classes whose condition holds, in precedence order. */
  alsoMatching: ExplainingClass[];
}

const datesOf = (lines: readonly DatedAmount[]) => new Set(lines.map((l) => l.businessDate));
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** Which classes' conditions hold for the evidence (see DIVERGENCE_CLASS_DEFINITIONS). */
export function matchingClasses(evidence: DivergenceEvidence): ExplainingClass[] {
  const { legacyLines, newLines } = evidence;
  const bookings = legacyLines.filter((l) => l.cents > 0);
  const firstBooking = bookings.map((l) => l.businessDate).sort()[0];
  const legacyDates = datesOf(legacyLines);
  const newDates = datesOf(newLines);
  // AMOUNT and TIMING compare like with like: both sides book the order, in the same currencies.
  const comparable = legacyDates.size > 0 && newDates.size > 0 && sameSet(new Set(legacyLines.map((l) => l.currency)), new Set(newLines.map((l) => l.currency)));
  const totalsAgree = sameNet(netPerCurrency(legacyLines), netPerCurrency(newLines));
  const holds: Record<ExplainingClass, boolean> = {
    CANCELLED_AFTER_BOOKING: legacyLines.some((l) => l.cents < 0) || (firstBooking !== undefined && evidence.newCancelledAt !== null && evidence.newCancelledAt.slice(0, 10) >= firstBooking),
    NO_CAPTURE: bookings.length > 0 && !evidence.newCaptured,
    MISSING_IN_NEW: legacyDates.size > 0 && newDates.size === 0,
    MISSING_IN_LEGACY: newDates.size > 0 && legacyDates.size === 0,
    AMOUNT: comparable && !totalsAgree,
    TIMING: comparable && (!sameSet(legacyDates, newDates) || totalsAgree),
  };
  return DIVERGENCE_CLASSES.filter((c): c is ExplainingClass => c !== 'UNEXPLAINED' && holds[c]);
}

/** One class per diverging order, by precedence; UNEXPLAINED when no condition holds. Pure. */
export function classifyDivergence(evidence: DivergenceEvidence): Classification {
  const [first, ...others] = matchingClasses(evidence);
  return first === undefined ? { divergenceClass: 'UNEXPLAINED', alsoMatching: [] } : { divergenceClass: first, alsoMatching: others };
}
