import { isSupportedDate } from '../../platform/subgraph/index.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real UTC business date written YYYY-MM-DD (2026-02-30 is not). */
export function isBusinessDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  return match !== null && isSupportedDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The business dates from `from` to `to`, both included (YYYY-MM-DD); empty when `from` is after `to`. */
export function businessDatesBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00.000Z`);
  const count = Math.max(0, (Date.parse(`${to}T00:00:00.000Z`) - start) / DAY_MS + 1);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}
