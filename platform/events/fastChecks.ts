import { z } from 'zod';

/**
 * Predicates for the fast path of decoding ("fast accept, zod explains"): each is an
 * under-approximation of one zod check, so whenever a fast path built from them accepts, the zod
 * schema accepts too, with the same output. When one declines, the caller runs the zod schema,
 * which finds and words the problem: every rejection reason comes from zod alone.
 *
 * Written by hand rather than compiled (z.toJSONSchema + ajv): a fast path must also return what
 * zod returns (zod builds new objects and strips unknown keys, ajv only answers yes or no), and
 * some checks are no JSON Schema (unique lineIds, the envelope's dispatch on type and version).
 * Each fast path's soundness is tested against its schema over valid and mutated inputs
 * (test/support/fastPathSoundness.ts): acceptEnvelope, orderEventSchemas, legacyOmsCdcSchemas.
 */

/** The patterns both the zod schemas and the fast checks test: one regex per rule. */
export const MONEY_PATTERN = /^-?\d{1,12}(\.\d{1,2})?$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
/** zod's own pattern for `z.iso.datetime({ offset: true })` (calendar-checked, leap years too). */
export const TIMESTAMP_PATTERN = z.core.regexes.datetime({ offset: true, local: false, precision: null });

export const isString = (value: unknown): value is string => typeof value === 'string';
/**
 * The instants an event may name, in epoch milliseconds: from 0001-01-01 to 9999-12-31 UTC.
 * PostgreSQL has no year 0, and the engine writes times in UTC (`toISOString`), so a time the
 * pattern accepts (`0000-01-01T00:00:00Z`, or `0001-01-01T00:00:00+01:00`, in year 0 once in UTC)
 * failed its batch at the insert, for ever: a poison record. Decoders refuse it instead.
 */
export const EARLIEST_EVENT_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const LATEST_EVENT_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** An epoch-milliseconds time within EARLIEST_EVENT_MS and LATEST_EVENT_MS (the legacy extracts' `UPD_TS`, `ts_ms`). */
export const isEventEpochMs = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= EARLIEST_EVENT_MS && (value as number) <= LATEST_EVENT_MS;
/** A timestamp the pattern accepted names an instant within EARLIEST_EVENT_MS and LATEST_EVENT_MS. */
export const isEventInstant = (timestamp: string): boolean => {
  const ms = Date.parse(timestamp);
  return ms >= EARLIEST_EVENT_MS && ms <= LATEST_EVENT_MS;
};
/** `timestampSchema`: an RFC 3339 timestamp (TIMESTAMP_PATTERN) naming an instant an event may name. */
export const isEventTimestamp = (value: unknown): value is string => typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && isEventInstant(value);
/** `z.string().min(length)`: the length in UTF-16 code units, as zod counts. */
export const isStringOfLength = (value: unknown, min: number): value is string => typeof value === 'string' && value.length >= min;
/** `z.number().int().min(min)`: zod's int is a safe integer (|n| ≤ 2^53 - 1). */
export const isIntAtLeast = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
export const isInt = (value: unknown): value is number => Number.isSafeInteger(value);
/**
 * The largest value of a PostgreSQL `int` (int4), the column type of sequences and quantities. A
 * larger one accepted by a decoder failed its batch at the insert, for ever: a poison record that
 * halted its partition. Decoders refuse it instead, so it goes to quarantine with a reason.
 */
export const INT4_MAX = 2_147_483_647;
/** `int4Schema(min)`: a whole number from `min` to INT4_MAX. */
export const isInt4AtLeast = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= INT4_MAX;
export const matches = (value: unknown, pattern: RegExp): value is string => typeof value === 'string' && pattern.test(value);

/**
 * A plain JSON object holding exactly `count` own keys, all of them expected (the caller checks
 * each expected key's value, so an absent one fails there). zod's `z.object` would strip an
 * unknown key and build a copy without it; declining such objects keeps the fast path's output
 * (the parsed object itself) equal to zod's. It also declines `__proto__`, which zod drops.
 */
export function hasKeyCount(value: unknown, count: number): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    keys++;
  }
  return keys === count;
}
