import { describe, expect, it } from 'vitest';
import { encodeFinanceExtract, FINANCE_EXTRACT_HEADER } from '../../subgraphs/index.js';
import { parseFinanceExtract } from './parseFinanceExtract.js';

const FILE = 'finance_extract_20261102.csv';
const DAY = '2026-11-02';
/** A file as the legacy writes it: header, lines, CRLF, ISO-8859-1. */
const file = (...lines: Array<string | Buffer>) => encodeFinanceExtract(lines);
const where = (parsed: ReturnType<typeof parseFinanceExtract>) => parsed.problems.map((p) => `${p.kind} ${p.file}:${p.line ?? '-'}`);

describe('parseFinanceExtract', () => {
  it('reads ISO-8859-1 lines ended by CRLF: decimal comma, DD.MM.YYYY, negative cancellations, accents in SRC', () => {
    const bytes = file('ord-000123;02.11.2026;1234,50;EUR;OMS', 'ord-000124;02.11.2026;-19,90;GBP;OMS-Marché', 'ord-000125;02.11.2026;7;USD;OMS-Caisse');
    // The é is one byte (E9), not UTF-8's two: the file really is ISO-8859-1.
    expect(bytes.includes(Buffer.from([0xe9]))).toBe(true);
    expect(bytes.includes(Buffer.from('é', 'utf8'))).toBe(false);
    expect(bytes.toString('latin1').split('\r\n')).toHaveLength(5); // header, three lines, and the last line's end
    const parsed = parseFinanceExtract(FILE, bytes, DAY);
    expect(parsed.problems).toEqual([]);
    expect(parsed.dataLines).toBe(3);
    expect(parsed.lines).toEqual([
      { orderId: 'ord-000123', bookingDate: DAY, cents: 123450, currency: 'EUR', source: 'OMS', file: FILE, line: 2 },
      { orderId: 'ord-000124', bookingDate: DAY, cents: -1990, currency: 'GBP', source: 'OMS-Marché', file: FILE, line: 3 },
      { orderId: 'ord-000125', bookingDate: DAY, cents: 700, currency: 'USD', source: 'OMS-Caisse', file: FILE, line: 4 },
    ]);
  });

  it('reads a day without bookings (header only) as no lines and no problem', () => {
    expect(parseFinanceExtract(FILE, file(), DAY)).toEqual({ file: FILE, dataLines: 0, lines: [], problems: [] });
  });

  it('tolerates LF line ends and a missing last line end', () => {
    const parsed = parseFinanceExtract(FILE, Buffer.from(`${FINANCE_EXTRACT_HEADER}\nord-1;02.11.2026;1,00;EUR;OMS\nord-2;02.11.2026;2,00;EUR;OMS`, 'latin1'), DAY);
    expect(parsed.problems).toEqual([]);
    expect(parsed.lines.map((l) => [l.orderId, l.line, l.cents])).toEqual([['ord-1', 2, 100], ['ord-2', 3, 200]]);
  });

  it('counts an exact duplicate line once and reports it with its line and the line it repeats', () => {
    const line = 'ord-000123;02.11.2026;1234,50;EUR;OMS';
    const parsed = parseFinanceExtract(FILE, file(line, 'ord-000124;02.11.2026;5,00;EUR;OMS', line), DAY);
    expect(parsed.lines.map((l) => l.line)).toEqual([2, 3]);
    expect(parsed.problems).toEqual([{ kind: 'DUPLICATE_LINE', file: FILE, line: 4, detail: 'exact duplicate of line 2: the booking is counted once', text: JSON.stringify(line), duplicateOf: 2 }]);
    // The same booking with another SRC is not an exact duplicate: both lines count.
    expect(parseFinanceExtract(FILE, file(line, 'ord-000123;02.11.2026;1234,50;EUR;OMS-Caisse'), DAY).lines).toHaveLength(2);
  });

  it('reports a line with UTF-8 bytes or a control byte as mis-encoded, with file, line and field, and leaves it out', () => {
    const utf8 = Buffer.from('ord-000124;02.11.2026;-19,90;GBP;OMS-Marché', 'utf8');
    const parsed = parseFinanceExtract(FILE, file('ord-000123;02.11.2026;1,00;EUR;OMS', utf8, 'ord-000125;02.11.2026;2,00;EUR;OMS\u001a', 'ord-0\u0000126;02.11.2026;3,00;EUR;OMS', Buffer.from('ord-000127;02.11.2026;4,00;EUR;O\u0085MS', 'latin1')), DAY);
    expect(parsed.lines.map((l) => l.orderId)).toEqual(['ord-000123']);
    expect(where(parsed)).toEqual([`MIS_ENCODED_LINE ${FILE}:3`, `MIS_ENCODED_LINE ${FILE}:4`, `MIS_ENCODED_LINE ${FILE}:5`, `MIS_ENCODED_LINE ${FILE}:6`]);
    expect(parsed.problems[0]!.detail).toBe('SRC: bytes C3 A9 are a UTF-8 encoded character ("é"), not ISO-8859-1 text');
    expect(parsed.problems[1]!.detail).toBe('SRC: byte 1A is a control character, never text in this file');
    expect(parsed.problems[2]!.detail).toBe('ORDER_ID: byte 00 is a control character, never text in this file');
    expect(parsed.problems[3]!.detail).toBe('SRC: byte 85 is a control character, never text in this file');
    expect(parsed.problems[1]!.text).toBe('"ord-000125;02.11.2026;2,00;EUR;OMS\\u001a"');
  });

  it('reports every malformed line with file, line and what the grammar wanted, and leaves it out', () => {
    const bad = [
      'ord-1;02.11.2026;1,00;EUR', // four fields
      'ord-2;02.11.2026;1,00;EUR;OMS;extra',
      'ord-3;2026-11-02;1,00;EUR;OMS', // ISO date
      'ord-4;31.02.2026;1,00;EUR;OMS', // no such day
      'ord-5;02.11.2026;1234.50;EUR;OMS', // decimal point
      'ord-6;02.11.2026;1.234,50;EUR;OMS', // thousands separator
      'ord-7;02.11.2026;12,345;EUR;OMS', // three decimals
      'ord-8;02.11.2026;1,00;eur;OMS', // currency shape
      'ord-9;02.11.2026;1,00;EURO;OMS',
      ';02.11.2026;1,00;EUR;OMS', // no order id
      'ord 10;02.11.2026;1,00;EUR;OMS', // space in the id
      'ord-11;02.11.2026;1,00;EUR;', // no SRC
      'ord-12;03.11.2026;1,00;EUR;OMS', // another day's booking in this day's file
      '', // an empty line
    ];
    const parsed = parseFinanceExtract(FILE, file('ord-0;02.11.2026;1,00;EUR;OMS', ...bad), DAY);
    expect(parsed.lines.map((l) => l.orderId)).toEqual(['ord-0']);
    expect(parsed.dataLines).toBe(1 + bad.length);
    expect(where(parsed)).toEqual(bad.map((_, i) => `MALFORMED_LINE ${FILE}:${i + 3}`));
    expect(parsed.problems.map((p) => p.detail)).toEqual([
      '4 field(s) separated by ";"; a line has 5 (ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC)',
      '6 field(s) separated by ";"; a line has 5 (ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC)',
      'BOOKING_DATE must be a real date written DD.MM.YYYY; received "2026-11-02"',
      'BOOKING_DATE must be a real date written DD.MM.YYYY; received "31.02.2026"',
      'NET_AMT must be an amount with a decimal comma, e.g. 1234,50 or -1234,50; received "1234.50"',
      'NET_AMT must be an amount with a decimal comma, e.g. 1234,50 or -1234,50; received "1.234,50"',
      'NET_AMT must be an amount with a decimal comma, e.g. 1234,50 or -1234,50; received "12,345"',
      'CCY must be an ISO 4217 code, three capital letters; received "eur"',
      'CCY must be an ISO 4217 code, three capital letters; received "EURO"',
      'ORDER_ID must be an order id (printable ASCII, no spaces); received ""',
      'ORDER_ID must be an order id (printable ASCII, no spaces); received "ord 10"',
      'SRC must be a non-empty source label; received ""',
      "BOOKING_DATE 03.11.2026 is not this file's business day (02.11.2026)",
      'empty line; a line has 5 fields (ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC)',
    ]);
  });

  it('reports a wrong or missing header at line 1, reading a booking found in its place', () => {
    const noHeader = parseFinanceExtract(FILE, Buffer.from('ord-1;02.11.2026;1,00;EUR;OMS\r\nord-2;02.11.2026;2,00;EUR;OMS\r\n', 'latin1'), DAY);
    expect(where(noHeader)).toEqual([`BAD_HEADER ${FILE}:1`]);
    expect(noHeader.lines.map((l) => [l.orderId, l.line])).toEqual([['ord-1', 1], ['ord-2', 2]]);
    const wrongHeader = parseFinanceExtract(FILE, Buffer.from('ORDER;DATE;AMOUNT\r\nord-2;02.11.2026;2,00;EUR;OMS\r\n', 'latin1'), DAY);
    expect(where(wrongHeader)).toEqual([`BAD_HEADER ${FILE}:1`]);
    expect(wrongHeader.problems[0]!.detail).toContain('it is neither the header nor a booking line, and is left out');
    expect(wrongHeader.lines.map((l) => l.orderId)).toEqual(['ord-2']);
    // A byte-order mark is UTF-8 too: the header is not recognised, and said so.
    expect(where(parseFinanceExtract(FILE, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file()]), DAY))).toEqual([`BAD_HEADER ${FILE}:1`]);
  });

  it('reports an empty file (not even a header) as a problem of the whole file', () => {
    expect(parseFinanceExtract(FILE, Buffer.alloc(0), DAY).problems).toEqual([
      { kind: 'EMPTY_FILE', file: FILE, line: null, detail: 'the file is empty; every extract starts with the header line ORDER_ID;BOOKING_DATE;NET_AMT;CCY;SRC (a day without bookings has only that)', text: null, duplicateOf: null },
    ]);
  });
});
