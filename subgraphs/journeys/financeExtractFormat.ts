import { isSupportedDate } from '../../platform/subgraph/index.js';

// The legacy finance extract (../shared/events/README.md, "Legacy finance extract"): one codec for
// the file the old platform writes each night. The journeys simulator writes it with these
// functions and the parallel run reads it with them, so what the format is lives here only.

/** The file's character set, as Node names it: ISO-8859-1 (one byte per character). */
export const FINANCE_EXTRACT_ENCODING = 'latin1';
export const FINANCE_EXTRACT_SEPARATOR = ';';
export const FINANCE_EXTRACT_LINE_END = '\r\n';
export const FINANCE_EXTRACT_FIELDS = ['ORDER_ID', 'BOOKING_DATE', 'NET_AMT', 'CCY', 'SRC'] as const;
export type FinanceExtractField = (typeof FINANCE_EXTRACT_FIELDS)[number];
/** The first line of every file, a day without bookings included. */
export const FINANCE_EXTRACT_HEADER = FINANCE_EXTRACT_FIELDS.join(FINANCE_EXTRACT_SEPARATOR);

/** One booking line, decoded. */
export interface FinanceExtractLine {
  orderId: string;
  /** The UTC business date, YYYY-MM-DD (written DD.MM.YYYY in the file). */
  bookingDate: string;
  /** NET_AMT in integer cents, signed: a cancellation is a negative line. */
  cents: number;
  /** CCY, ISO 4217. */
  currency: string;
  /** SRC: the legacy's own label of where the booking came from (free latin1 text). */
  source: string;
}

/** What a line that cannot be used is: bytes that no field may hold, or a field that breaks the grammar. */
export type FinanceExtractLineProblem = { kind: 'misEncoded'; field: FinanceExtractField | null; reason: string } | { kind: 'malformed'; field: FinanceExtractField | null; reason: string };

const FILE_NAME = /^finance_extract_(\d{4})(\d{2})(\d{2})\.csv$/;

/** `finance_extract_YYYYMMDD.csv` for a business date written YYYY-MM-DD. */
export const financeExtractFileName = (businessDate: string): string => `finance_extract_${businessDate.replaceAll('-', '')}.csv`;

/** The business date (YYYY-MM-DD) a file name stands for, or null when the name is not an extract's. */
export function businessDateOfFinanceExtract(fileName: string): string | null {
  const match = FILE_NAME.exec(fileName);
  if (!match || !isSupportedDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** NET_AMT as the file writes it: decimal comma, two decimals, a leading minus when negative (`-1234,50`). */
export function formatNetAmount(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** BOOKING_DATE as the file writes it: `DD.MM.YYYY`. */
export function formatBookingDate(businessDate: string): string {
  const [year, month, day] = businessDate.split('-');
  return `${day}.${month}.${year}`;
}

/** A line's text (without its line end), fields in file order. */
export function formatFinanceExtractLine(line: FinanceExtractLine): string {
  return [line.orderId, formatBookingDate(line.bookingDate), formatNetAmount(line.cents), line.currency, line.source].join(FINANCE_EXTRACT_SEPARATOR);
}

/**
 * A whole file: the header, then each line, every line ended by CRLF. Text is written in
 * ISO-8859-1; a line given as bytes is written as it is (how the simulator plants the legacy's
 * encoding faults).
 */
export function encodeFinanceExtract(lines: ReadonlyArray<string | Buffer>): Buffer {
  const end = Buffer.from(FINANCE_EXTRACT_LINE_END, FINANCE_EXTRACT_ENCODING);
  return Buffer.concat([FINANCE_EXTRACT_HEADER, ...lines].flatMap((line) => [typeof line === 'string' ? Buffer.from(line, FINANCE_EXTRACT_ENCODING) : line, end]));
}

// Read as ISO-8859-1, every byte is some character; these are the ones no field can hold.
// A UTF-8 multibyte character reads as a lead byte C2–F4 followed by continuation bytes 80–BF
// ("é" arrives as "Ã©"): the writer used the wrong character set. C0 and C1 control characters
// (and DEL) are never text in this file: a line holding one was damaged or mis-converted.
const UTF8_SEQUENCE = /[\u00C2-\u00DF][\u0080-\u00BF]|[\u00E0-\u00EF][\u0080-\u00BF]{2}|[\u00F0-\u00F4][\u0080-\u00BF]{3}/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const hex = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** Why a field's text cannot be ISO-8859-1 text as the legacy writes it, or null when it can. */
function misEncodingOf(text: string): string | null {
  const utf8 = UTF8_SEQUENCE.exec(text);
  if (utf8) return `bytes ${hex(utf8[0])} are a UTF-8 encoded character ("${Buffer.from(utf8[0], FINANCE_EXTRACT_ENCODING).toString('utf8')}"), not ISO-8859-1 text`;
  const control = CONTROL.exec(text);
  if (control) return `byte ${hex(control[0])} is a control character, never text in this file`;
  return null;
}

const ORDER_ID = /^[!-:<-~]+$/; // printable ASCII without spaces or the separator
const BOOKING_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const NET_AMT = /^(-?)(\d{1,13})(?:,(\d{1,2}))?$/;
const CCY = /^[A-Z]{3}$/;

/**
 * Decodes one line's text (read as ISO-8859-1, line end removed) by the file's grammar: exactly
 * five fields; ORDER_ID printable ASCII; BOOKING_DATE a real `DD.MM.YYYY` date; NET_AMT an
 * optional minus, digits, and up to two decimals after a comma; CCY three capital letters; SRC
 * non-empty text. Bytes no field can hold make the line mis-encoded, checked first.
 */
export function decodeFinanceExtractLine(text: string): FinanceExtractLine | FinanceExtractLineProblem {
  const fields = text.split(FINANCE_EXTRACT_SEPARATOR);
  const encodingProblem = misEncodingOf(text);
  if (encodingProblem) {
    const field = fields.length === FINANCE_EXTRACT_FIELDS.length ? (FINANCE_EXTRACT_FIELDS.find((_, i) => misEncodingOf(fields[i]!) !== null) ?? null) : null;
    return { kind: 'misEncoded', field, reason: field ? `${field}: ${encodingProblem}` : encodingProblem };
  }
  if (fields.length !== FINANCE_EXTRACT_FIELDS.length) {
    return { kind: 'malformed', field: null, reason: `${fields.length} field(s) separated by "${FINANCE_EXTRACT_SEPARATOR}"; a line has ${FINANCE_EXTRACT_FIELDS.length} (${FINANCE_EXTRACT_HEADER})` };
  }
  const [orderId, bookingDate, netAmount, currency, source] = fields as [string, string, string, string, string];
  const malformed = (field: FinanceExtractField, expected: string, received: string): FinanceExtractLineProblem => ({ kind: 'malformed', field, reason: `${field} must be ${expected}; received ${JSON.stringify(received)}` });
  if (!ORDER_ID.test(orderId)) return malformed('ORDER_ID', 'an order id (printable ASCII, no spaces)', orderId);
  const date = BOOKING_DATE.exec(bookingDate);
  if (!date || !isSupportedDate(Number(date[3]), Number(date[2]), Number(date[1]))) return malformed('BOOKING_DATE', 'a real date written DD.MM.YYYY', bookingDate);
  const amount = NET_AMT.exec(netAmount);
  if (!amount) return malformed('NET_AMT', 'an amount with a decimal comma, e.g. 1234,50 or -1234,50', netAmount);
  if (!CCY.test(currency)) return malformed('CCY', 'an ISO 4217 code, three capital letters', currency);
  if (source.trim() === '') return malformed('SRC', 'a non-empty source label', source);
  const cents = Number(amount[2]) * 100 + Number((amount[3] ?? '').padEnd(2, '0'));
  return { orderId, bookingDate: `${date[3]}-${date[2]}-${date[1]}`, cents: amount[1] ? 0 - cents : cents, currency, source };
}

/** True when a decoded result is a line rather than a problem. */
export const isFinanceExtractLine = (decoded: FinanceExtractLine | FinanceExtractLineProblem): decoded is FinanceExtractLine => !('kind' in decoded);
