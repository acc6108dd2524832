import { describe, expect, it } from 'vitest';
import { createJourneySimulator } from './createJourneySimulator.js';
import { decodeFinanceExtractLine, FINANCE_EXTRACT_HEADER, financeExtractFileName, formatFinanceExtractLine, isFinanceExtractLine } from './financeExtractFormat.js';
import { legacyFinanceBookings } from './legacyFinanceBookings.js';
import { orderLinesAt, totalCentsOf } from './orderLinesAt.js';
import { planFinanceExtracts } from './planFinanceExtracts.js';

const HOUR = 3_600_000;
// Journeys an hour apart, steps two hours apart: bookings spread over a week; cancellations after release happen.
const journeys = createJourneySimulator({ seed: 31, startTime: Date.UTC(2026, 10, 1, 6), orderIntervalMs: HOUR, stepIntervalMs: 2 * HOUR, faults: { legacyShare: 0.6 } }).next(120).histories;
const linesOf = (bytes: Buffer) => bytes.toString('latin1').split('\r\n').slice(0, -1);

describe('legacyFinanceBookings', () => {
  it('books each released legacy order once, on its release day, at the OMS total then; minus that on a later cancellation day; nothing else', () => {
    const bookings = legacyFinanceBookings(journeys);
    for (const j of journeys) {
      const mine = bookings.filter((b) => b.orderId === j.orderId);
      const release = j.order.steps.find((s) => s.kind === 'release');
      const cancel = j.order.steps.find((s) => s.kind === 'cancel');
      if (!j.legacy || !release) {
        expect(mine, j.orderId).toEqual([]);
        continue;
      }
      const booked = totalCentsOf(orderLinesAt(j.order, release.at));
      expect(mine[0], j.orderId).toMatchObject({ bookingDate: new Date(release.at).toISOString().slice(0, 10), cents: booked, currency: j.order.currency });
      expect(mine.slice(1), j.orderId).toEqual(cancel && cancel.at > release.at ? [{ ...mine[0], bookingDate: new Date(cancel.at).toISOString().slice(0, 10), cents: -booked }] : []);
    }
    expect(bookings.filter((b) => b.cents < 0).length).toBeGreaterThan(0);
    expect(new Set(bookings.map((b) => b.source))).toEqual(new Set(['OMS', 'OMS-Caisse', 'OMS-Marché']));
  });
});

describe('planFinanceExtracts', () => {
  const set = planFinanceExtracts(journeys, { seed: 3 });
  const fault = (kind: string) => set.faults.find((f) => f.kind === kind)!;
  const fileOf = (name: string) => set.files.find((f) => f.name === name)!;

  it('writes one file per business day of the range but the missing one, each starting with the header, CRLF, ISO-8859-1', () => {
    const missing = fault('MISSING_FILE');
    expect(set.files.map((f) => f.businessDate)).not.toContain(missing.businessDate);
    expect(set.files.length).toBeGreaterThanOrEqual(5);
    for (const file of set.files) {
      expect(file.name).toBe(financeExtractFileName(file.businessDate));
      expect(linesOf(file.bytes)[0]).toBe(FINANCE_EXTRACT_HEADER);
      expect(file.bytes.subarray(-2).toString('latin1')).toBe('\r\n');
    }
    expect(set.files.some((f) => linesOf(f.bytes).length === 1)).toBe(true); // a day without bookings: the header only
    expect(set.bookings.some((b) => b.bookingDate === missing.businessDate)).toBe(true); // the day lost had bookings
  });

  it('plants each fault where it says, and keeps every other line a faithful booking', () => {
    expect(set.faults.map((f) => f.kind).sort()).toEqual(['DUPLICATE_LINE', 'MALFORMED_LINE', 'MISSING_FILE', 'MIS_ENCODED_LINE', 'WRONG_CURRENCY']);
    const lineAt = (f: { file: string; line: number | null }) => fileOf(f.file).bytes.toString('latin1').split('\r\n')[f.line! - 1]!;
    const misEncoded = fault('MIS_ENCODED_LINE');
    expect(lineAt(misEncoded)).toContain('Ã©'); // é written as UTF-8 (C3 A9), read as ISO-8859-1
    expect(decodeFinanceExtractLine(lineAt(misEncoded))).toMatchObject({ kind: 'misEncoded', field: 'SRC' });
    expect(decodeFinanceExtractLine(lineAt(fault('MALFORMED_LINE')))).toMatchObject({ kind: 'malformed', field: 'NET_AMT' });
    const duplicate = fault('DUPLICATE_LINE');
    expect(lineAt(duplicate)).toBe(lineAt({ file: duplicate.file, line: duplicate.duplicateOf }));
    const wrong = fault('WRONG_CURRENCY');
    const decoded = decodeFinanceExtractLine(lineAt(wrong));
    expect(isFinanceExtractLine(decoded) && decoded.currency).not.toBe(journeys.find((j) => j.orderId === wrong.orderId)!.order.currency);

    // Every other line decodes to a booking of its day, and together they are the readable bookings.
    const planted = new Set(set.faults.filter((f) => f.kind !== 'WRONG_CURRENCY').map((f) => `${f.file}:${f.line}`));
    const read = set.files.flatMap((f) => linesOf(f.bytes).slice(1).flatMap((text, i) => (planted.has(`${f.name}:${i + 2}`) ? [] : [decodeFinanceExtractLine(text)])));
    expect(read.every(isFinanceExtractLine)).toBe(true);
    expect(read).toEqual(set.readableBookings);
    const lost = new Set([fault('MIS_ENCODED_LINE'), fault('MALFORMED_LINE')].map((f) => f.orderId));
    expect(set.readableBookings.length).toBe(set.bookings.filter((b) => b.bookingDate !== fault('MISSING_FILE').businessDate).length - lost.size);
    expect(set.readableBookings.map(formatFinanceExtractLine)).toEqual(read.map((b) => isFinanceExtractLine(b) && formatFinanceExtractLine(b)));
  });

  it('is a function of the journeys and the seed', () => {
    expect(planFinanceExtracts(journeys, { seed: 3 })).toEqual(set);
    expect(planFinanceExtracts(journeys, { seed: 4 }).faults).not.toEqual(set.faults);
  });
});
