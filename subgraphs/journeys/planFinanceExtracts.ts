import type { Prng } from '../../platform/simulator/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import type { FinanceExtractLine } from './financeExtractFormat.js';
import { encodeFinanceExtract, FINANCE_EXTRACT_SEPARATOR, financeExtractFileName, formatFinanceExtractLine, formatNetAmount } from './financeExtractFormat.js';
import { legacyFinanceBookings } from './legacyFinanceBookings.js';
import type { OrderJourney } from './OrderJourney.js';

/** How many of each of the legacy's own faults to plant (../shared/events/README.md: "it is sometimes wrong"). */
export interface FinanceExtractFaults {
  /** Business days whose file is not written: days with bookings, not the first or last of the range when there is a choice. Default 1. */
  missingDays: number;
  /** Lines written twice, the copy right after the original: a reader counts the booking once. Default 1. */
  duplicatedLines: number;
  /**
   * Lines written in UTF-8 instead of ISO-8859-1 (a line whose SRC has an accent), or, when none
   * has one, with a SUB control byte (0x1A) at its end. The booking is lost to the reader. Default 1.
   */
  misEncodedLines: number;
  /** Lines whose NET_AMT has a decimal point instead of a comma (`1234.50`). The booking is lost to the reader. Default 1. */
  malformedLines: number;
  /**
   * Bookings of a captured, never-cancelled order written in another currency than the order's:
   * the line reads well, and the divergence it makes matches no rule (UNEXPLAINED). Default 1.
   */
  wrongCurrencyLines: number;
}

export const DEFAULT_FINANCE_EXTRACT_FAULTS: FinanceExtractFaults = { missingDays: 1, duplicatedLines: 1, misEncodedLines: 1, malformedLines: 1, wrongCurrencyLines: 1 };

export type PlantedExtractFaultKind = 'MISSING_FILE' | 'DUPLICATE_LINE' | 'MIS_ENCODED_LINE' | 'MALFORMED_LINE' | 'WRONG_CURRENCY';

/** One fault the simulator planted, where a reader must find it. */
export interface PlantedExtractFault {
  kind: PlantedExtractFaultKind;
  file: string;
  businessDate: string;
  /** The line number in the file (the header is line 1); null for a missing file. */
  line: number | null;
  /** The order of the damaged or repeated booking; null for a missing file. */
  orderId: string | null;
  /** DUPLICATE_LINE: the line it repeats. */
  duplicateOf: number | null;
}

export interface FinanceExtractFile {
  name: string;
  businessDate: string;
  bytes: Buffer;
}

/** The legacy extracts for a range of business days, as the old platform (faults included) would have written them. */
export interface FinanceExtractSet {
  fromDate: string;
  toDate: string;
  /** One per business day of the range, except the missing days. */
  files: FinanceExtractFile[];
  faults: PlantedExtractFault[];
  /** Every booking a faithful legacy made, on every day of the range (the missing days' included). */
  bookings: FinanceExtractLine[];
  /**
   * What a correct reader takes from the files: the bookings of the days written, each once, less
   * the mis-encoded and malformed lines, with the wrong currencies as written.
   */
  readableBookings: FinanceExtractLine[];
}

export interface FinanceExtractOptions {
  /** Chooses where the faults go. Default 42. */
  seed?: number;
  faults?: Partial<FinanceExtractFaults>;
  /** First business day written, YYYY-MM-DD. Default: the day the first journey's order was placed. */
  fromDate?: string;
  /** Last business day written, YYYY-MM-DD. Default: the day of the journeys' last event, so every booking and every recognized line falls in the range. */
  toDate?: string;
}

const DAY_MS = 86_400_000;
const CURRENCIES = ['EUR', 'GBP', 'USD'] as const;
const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const datesFrom = (from: string, to: string) => Array.from({ length: Math.max(0, (Date.parse(to) - Date.parse(from)) / DAY_MS + 1) }, (_, i) => dateOf(Date.parse(from) + i * DAY_MS));

/** Every event time of a journey: its order's, payments' and shipments'. */
const eventTimes = (j: OrderJourney) => [j.order.placedAt, ...j.order.steps.map((s) => s.at), ...j.payments.flatMap((p) => p.steps.map((s) => s.at)), ...j.shipments.flatMap((s) => s.steps.map((x) => x.at))];

/** A line of a file as it will be written. */
interface Entry {
  booking: FinanceExtractLine;
  /** What is written, when it differs from the booking's own line (a planted fault). */
  written: string | Buffer | null;
  fault: PlantedExtractFaultKind | null;
  /** The entry this one repeats (DUPLICATE_LINE). */
  copyOf: Entry | null;
}

/** Picks up to `count` distinct items, by the prng; the candidates are taken in the order given. */
function pickSome<T>(prng: Prng, candidates: readonly T[], count: number): T[] {
  const pool = [...candidates];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(prng.int(0, pool.length - 1), 1)[0]!);
  return picked;
}

/**
 * Damages lines of the files in place, as the legacy does: a wrong currency, a mis-encoded and a
 * malformed line (each on a distinct line), and duplicates inserted after their originals.
 */
function plantLineFaults(prng: Prng, entriesByDate: Map<string, Entry[]>, journeys: readonly OrderJourney[], faults: FinanceExtractFaults): void {
  const entries = [...entriesByDate.values()].flat();
  const untouched = () => entries.filter((e) => e.fault === null);
  const journeyOf = new Map(journeys.map((j) => [j.orderId, j]));

  const neverCancelled = (e: Entry) => !journeyOf.get(e.booking.orderId)?.order.steps.some((s) => s.kind === 'cancel');

  // Wrong currency on a booking whose order was captured and never cancelled: nothing else explains the divergence.
  const explainedOnlyByCurrency = (e: Entry) => {
    const j = journeyOf.get(e.booking.orderId);
    return e.booking.cents > 0 && j !== undefined && j.orderPublished && neverCancelled(e) && j.payments.some((p) => p.steps.some((s) => s.kind === 'capture'));
  };
  for (const e of pickSome(prng, untouched().filter(explainedOnlyByCurrency), faults.wrongCurrencyLines)) {
    const currency = CURRENCIES.find((c) => c !== e.booking.currency)!;
    e.booking = { ...e.booking, currency };
    e.fault = 'WRONG_CURRENCY';
  }
  // The unreadable lines are bookings of orders never cancelled: each loses a whole booking (the
  // reader sees nothing of the order), and the legacy's cancellations stay to be classified as such.
  const wholeBookings = () => untouched().filter(neverCancelled);
  // Mis-encoded: preferably a line with an accent written in UTF-8, as a converted file would be.
  const accented = wholeBookings().filter((e) => /[^\x20-\x7e]/.test(e.booking.source));
  for (const e of pickSome(prng, accented.length >= faults.misEncodedLines ? accented : wholeBookings(), faults.misEncodedLines)) {
    const text = formatFinanceExtractLine(e.booking);
    e.written = /[^\x20-\x7e]/.test(text) ? Buffer.from(text, 'utf8') : `${text}\u001a`;
    e.fault = 'MIS_ENCODED_LINE';
  }
  for (const e of pickSome(prng, wholeBookings(), faults.malformedLines)) {
    const fields = formatFinanceExtractLine(e.booking).split(FINANCE_EXTRACT_SEPARATOR);
    fields[2] = formatNetAmount(e.booking.cents).replace(',', '.');
    e.written = fields.join(FINANCE_EXTRACT_SEPARATOR);
    e.fault = 'MALFORMED_LINE';
  }
  for (const e of pickSome(prng, untouched(), faults.duplicatedLines)) {
    const lines = entriesByDate.get(e.booking.bookingDate)!;
    lines.splice(lines.indexOf(e) + 1, 0, { booking: e.booking, written: null, fault: 'DUPLICATE_LINE', copyOf: e });
  }
}

/**
 * The legacy finance extracts a faithful legacy would write for these journeys (see
 * legacyFinanceBookings), one file per business day of the range (header only on a day without
 * bookings), with the legacy's own faults planted where the seed says, and where each one is.
 * Pure: `writeFinanceExtracts` puts the files on disk.
 */
export function planFinanceExtracts(journeys: readonly OrderJourney[], options: FinanceExtractOptions = {}): FinanceExtractSet {
  const faults: FinanceExtractFaults = { ...DEFAULT_FINANCE_EXTRACT_FAULTS, ...options.faults };
  const prng = createPrng(options.seed ?? 42);
  if (journeys.length === 0 && (options.fromDate === undefined || options.toDate === undefined)) throw new RangeError('planFinanceExtracts needs journeys, or fromDate and toDate, to know which business days to write');
  const times = journeys.flatMap(eventTimes);
  const fromDate = options.fromDate ?? dateOf(Math.min(...journeys.map((j) => j.order.placedAt)));
  const toDate = options.toDate ?? dateOf(Math.max(...times));
  const dates = datesFrom(fromDate, toDate);
  const bookings = legacyFinanceBookings(journeys).filter((b) => b.bookingDate >= fromDate && b.bookingDate <= toDate);

  // A missing day is one that had bookings (else nothing is lost), inside the range when possible.
  const withBookings = dates.filter((d) => bookings.some((b) => b.bookingDate === d));
  const inside = withBookings.filter((d) => d !== fromDate && d !== toDate);
  const missingDates = new Set(pickSome(prng, inside.length >= faults.missingDays ? inside : withBookings, faults.missingDays));

  // Each file's lines in the legacy's order: by order id, a booking before its cancellation.
  const entriesByDate = new Map<string, Entry[]>(dates.filter((d) => !missingDates.has(d)).map((d) => [d, []]));
  for (const booking of [...bookings].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : b.cents - a.cents))) {
    entriesByDate.get(booking.bookingDate)?.push({ booking, written: null, fault: null, copyOf: null });
  }
  plantLineFaults(prng, entriesByDate, journeys, faults);

  const files: FinanceExtractFile[] = [];
  const planted: PlantedExtractFault[] = [...missingDates].sort().map((d) => ({ kind: 'MISSING_FILE', file: financeExtractFileName(d), businessDate: d, line: null, orderId: null, duplicateOf: null }));
  for (const [businessDate, lines] of entriesByDate) {
    const file = financeExtractFileName(businessDate);
    files.push({ name: file, businessDate, bytes: encodeFinanceExtract(lines.map((e) => e.written ?? formatFinanceExtractLine(e.booking))) });
    lines.forEach((e, i) => {
      if (e.fault === null) return;
      planted.push({ kind: e.fault, file, businessDate, line: i + 2, orderId: e.booking.orderId, duplicateOf: e.copyOf ? lines.indexOf(e.copyOf) + 2 : null });
    });
  }
  const readable = [...entriesByDate.values()].flat().filter((e) => e.fault === null || e.fault === 'WRONG_CURRENCY');
  return { fromDate, toDate, files, faults: planted, bookings, readableBookings: readable.map((e) => e.booking) };
}
