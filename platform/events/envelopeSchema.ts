import { z } from 'zod';
import { COUNTRY_PATTERN, CURRENCY_PATTERN, EARLIEST_EVENT_MS, INT4_MAX, isEventInstant, LATEST_EVENT_MS, MONEY_PATTERN } from './fastChecks.js';

/** RFC 3339 timestamp, UTC or with offset; fractional seconds optional. */
export const timestampSchema = z.iso.datetime({ offset: true }).refine(isEventInstant, 'must name an instant from 0001-01-01 to 9999-12-31 UTC, what PostgreSQL stores');
/** Epoch milliseconds within the same range (see EARLIEST_EVENT_MS). */
export const epochMsSchema = z.number().int().min(EARLIEST_EVENT_MS, 'must be a time from 0001-01-01 UTC on').max(LATEST_EVENT_MS, 'must be a time up to 9999-12-31 UTC');
/** Money as the producers send it: a decimal string with at most two fractional digits, never a float. */
export const moneySchema = z.string().regex(MONEY_PATTERN, 'money must be a decimal string with up to 2 fractional digits, e.g. "12.30"');
export const currencySchema = z.string().regex(CURRENCY_PATTERN, 'currency must be an ISO 4217 code, e.g. "EUR"');
/** A whole number stored in an `int` column: from `min` to 2147483647 (see INT4_MAX). */
export const int4Schema = (min: number) => z.number().int().min(min).max(INT4_MAX, `must be at most ${INT4_MAX}, the largest value stored (a 32-bit integer)`);
export const countrySchema = z.string().regex(COUNTRY_PATTERN, 'country must be ISO 3166-1 alpha-2, e.g. "DE"');

/** The envelope with `data` left open: each context validates `data` per type and schemaVersion. */
export const envelopeSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().min(1),
  aggregateId: z.string().min(1),
  sequence: int4Schema(1),
  occurredAt: timestampSchema,
  producedAt: timestampSchema,
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  source: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

/** One line per problem, with the path: what a quarantine reason should say. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
