export type { EventEnvelope } from './EventEnvelope.js';
export { countrySchema, currencySchema, describeIssues, envelopeSchema, moneySchema, timestampSchema } from './envelopeSchema.js';
export { centsToMoney, moneyToCents } from './money.js';
