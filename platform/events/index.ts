export { acceptEnvelope } from './acceptEnvelope.js';
export type { EventEnvelope } from './EventEnvelope.js';
export { countrySchema, currencySchema, describeIssues, envelopeSchema, int4Schema, moneySchema, timestampSchema } from './envelopeSchema.js';
export { COUNTRY_PATTERN, CURRENCY_PATTERN, hasKeyCount, INT4_MAX, isInt, isInt4AtLeast, isIntAtLeast, isString, isStringOfLength, matches, MONEY_PATTERN, TIMESTAMP_PATTERN } from './fastChecks.js';
export { centsToMoney, moneyToCents } from './money.js';
