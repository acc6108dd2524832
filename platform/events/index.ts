export { acceptEnvelope } from './acceptEnvelope.js';
export type { EventEnvelope } from './EventEnvelope.js';
export { countrySchema, currencySchema, describeIssues, envelopeSchema, epochMsSchema, int4Schema, moneySchema, timestampSchema } from './envelopeSchema.js';
export { COUNTRY_PATTERN, CURRENCY_PATTERN, EARLIEST_EVENT_MS, hasKeyCount, INT4_MAX, isEventEpochMs, isEventTimestamp, isInt, isInt4AtLeast, isIntAtLeast, isString, isStringOfLength, matches, LATEST_EVENT_MS, MONEY_PATTERN, TIMESTAMP_PATTERN } from './fastChecks.js';
export { centsToMoney, moneyToCents } from './money.js';
