import type { FinanceExtractLine } from '../../subgraphs/index.js';
import { decodeFinanceExtractLine, FINANCE_EXTRACT_ENCODING, FINANCE_EXTRACT_HEADER, formatBookingDate, isFinanceExtractLine } from '../../subgraphs/index.js';

/**
 * What is wrong with the legacy files, each at its place. None is ever skipped silently: a line
 * that cannot be used is reported and left out of the comparison, a duplicate is counted once.
 */
export type ExtractProblemKind =
  /** No file for a day of the range: nothing of that day is compared. */
  | 'MISSING_FILE'
  /** A file of zero bytes: not even the header a day without bookings has. */
  | 'EMPTY_FILE'
  /** Line 1 is not `ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC`. */
  | 'BAD_HEADER'
  /** The exact text of an earlier line of the file: counted once. */
  | 'DUPLICATE_LINE'
  /** Bytes no field can hold in ISO-8859-1 (a UTF-8 character, a control byte): left out. */
  | 'MIS_ENCODED_LINE'
  /** Fails the line grammar (field count, date, amount, currency, or a date of another day): left out. */
  | 'MALFORMED_LINE';

export interface ExtractProblem {
  kind: ExtractProblemKind;
  /** The file's name, e.g. `finance_extract_20261102.csv`. */
  file: string;
  /** Line number in the file, the header being line 1; null for a problem of the whole file. */
  line: number | null;
  /** What is wrong, precisely enough to fix it. */
  detail: string;
  /** The line as read (ISO-8859-1, JSON-quoted so control bytes show); null for a whole file. */
  text: string | null;
  /** DUPLICATE_LINE: the line it repeats. */
  duplicateOf: number | null;
}

/** A usable booking line and where it was read. */
export interface LegacyBookingLine extends FinanceExtractLine {
  file: string;
  line: number;
}

export interface ParsedFinanceExtract {
  file: string;
  /** Data lines in the file (the header and a final line end not counted). */
  dataLines: number;
  lines: LegacyBookingLine[];
  problems: ExtractProblem[];
}

const quoted = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Parses one extract file's bytes. `businessDate` (YYYY-MM-DD) is the day the file name stands
 * for: a line booked on another day is malformed (it would be compared on the wrong day). Lines
 * end with CRLF; a bare LF is tolerated as a line end, a CR anywhere else is a control byte.
 */
export function parseFinanceExtract(file: string, bytes: Buffer, businessDate: string | null): ParsedFinanceExtract {
  const problems: ExtractProblem[] = [];
  const problem = (kind: ExtractProblemKind, line: number | null, detail: string, text: string | null, duplicateOf: number | null = null) => problems.push({ kind, file, line, detail, text: text === null ? null : quoted(text), duplicateOf });
  if (bytes.length === 0) {
    problem('EMPTY_FILE', null, `the file is empty; every extract starts with the header line ${FINANCE_EXTRACT_HEADER} (a day without bookings has only that)`, null);
    return { file, dataLines: 0, lines: [], problems };
  }
  const texts = bytes.toString(FINANCE_EXTRACT_ENCODING).split('\n').map((t) => (t.endsWith('\r') ? t.slice(0, -1) : t));
  if (texts.at(-1) === '') texts.pop(); // the last line's end, not an empty line

  const lines: LegacyBookingLine[] = [];
  const firstLineOf = new Map<string, number>();
  let dataLines = 0;
  texts.forEach((text, index) => {
    const number = index + 1;
    if (number === 1 && text === FINANCE_EXTRACT_HEADER) return;
    const decoded = decodeFinanceExtractLine(text);
    if (number === 1) {
      // No header: a booking in its place is still read (and the header reported missing).
      const isBooking = isFinanceExtractLine(decoded);
      problem('BAD_HEADER', 1, `line 1 must be the header ${FINANCE_EXTRACT_HEADER}; ${isBooking ? 'it is a booking line, read as one' : 'it is neither the header nor a booking line, and is left out'}`, text);
      if (!isBooking) return;
    }
    dataLines++;
    if (!isFinanceExtractLine(decoded)) {
      if (text === '') problem('MALFORMED_LINE', number, 'empty line; a line has 5 fields (ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC)', text);
      else problem(decoded.kind === 'misEncoded' ? 'MIS_ENCODED_LINE' : 'MALFORMED_LINE', number, decoded.reason, text);
      return;
    }
    if (businessDate !== null && decoded.bookingDate !== businessDate) {
      problem('MALFORMED_LINE', number, `BOOKING_DATE ${formatBookingDate(decoded.bookingDate)} is not this file's business day (${formatBookingDate(businessDate)})`, text);
      return;
    }
    const first = firstLineOf.get(text);
    if (first !== undefined) {
      problem('DUPLICATE_LINE', number, `exact duplicate of line ${first}: the booking is counted once`, text, first);
      return;
    }
    firstLineOf.set(text, number);
    lines.push({ ...decoded, file, line: number });
  });
  return { file, dataLines, lines, problems };
}
