import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * Event times the gateway accepts as input: years 1900 to 9998. Wider than any business date, and
 * inside what both JavaScript's ISO printing and PostgreSQL's timestamptz read back exactly (year 0
 * does not exist in PostgreSQL; a day after 9999-12-31 prints as an extended year it refuses).
 */
export const SUPPORTED_YEARS = { first: 1900, last: 9998 } as const;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** True when `year-month-day` is a real calendar date in the supported years (no roll-over: 2026-02-30 is not). */
export function isSupportedDate(year: number, month: number, day: number): boolean {
  if (year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last || month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Parses an RFC 3339 timestamp with a real date and time in the supported years; anything else is a precise input error, never a rolled-over or Invalid Date. */
function parseTimestamp(value: unknown): Date {
  const match = typeof value === 'string' ? RFC3339.exec(value) : null;
  const [, year, month, day, hour, minute, second] = match ?? [];
  const valid = match !== null && isSupportedDate(Number(year), Number(month), Number(day)) && Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  const parsed = valid ? new Date(value as string) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new GraphQLError(`DateTime must be an RFC 3339 timestamp with a real date and time, years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}, such as "2026-11-02T08:00:00.000Z"; received ${JSON.stringify(value)?.slice(0, 60)}.`);
  }
  return parsed;
}

/**
 * The `DateTime` scalar every subgraph declares: RFC 3339, UTC, milliseconds on output (from a
 * `Date` or anything `Date` parses); on input a full RFC 3339 timestamp with a real calendar date
 * (2026-02-30 and 24:00 are refused, not rolled over; a leap second cannot be represented and is
 * refused too), in the supported years.
 */
export const dateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp, UTC, milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseTimestamp,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string holding an RFC 3339 timestamp.');
    return parseTimestamp(ast.value);
  },
});
