export { createJourneySimulator } from './createJourneySimulator.js';
export type { JourneySimulator, JourneySimulatorOptions } from './createJourneySimulator.js';
export type { JourneyRace, OrderJourney } from './OrderJourney.js';
export { DEFAULT_JOURNEY_RATES } from './writeOrderJourney.js';
export type { JourneyRates } from './writeOrderJourney.js';
export {
  businessDateOfFinanceExtract,
  decodeFinanceExtractLine,
  encodeFinanceExtract,
  FINANCE_EXTRACT_ENCODING,
  FINANCE_EXTRACT_FIELDS,
  FINANCE_EXTRACT_HEADER,
  FINANCE_EXTRACT_LINE_END,
  FINANCE_EXTRACT_SEPARATOR,
  financeExtractFileName,
  formatBookingDate,
  formatFinanceExtractLine,
  formatNetAmount,
  isFinanceExtractLine,
} from './financeExtractFormat.js';
export type { FinanceExtractField, FinanceExtractLine, FinanceExtractLineProblem } from './financeExtractFormat.js';
export { LEGACY_FINANCE_SOURCE_LABELS, legacyFinanceBookings } from './legacyFinanceBookings.js';
export { DEFAULT_FINANCE_EXTRACT_FAULTS, planFinanceExtracts } from './planFinanceExtracts.js';
export type { FinanceExtractFaults, FinanceExtractFile, FinanceExtractOptions, FinanceExtractSet, PlantedExtractFault, PlantedExtractFaultKind } from './planFinanceExtracts.js';
export { writeFinanceExtracts } from './writeFinanceExtracts.js';
export { EXPECTED_DIVERGENCE_CLASSES, parallelRunAnswerKey } from './parallelRunAnswerKey.js';
export type { ExpectedDivergence, ExpectedDivergenceClass, ExpectedExtractProblem, ParallelRunAnswerKey } from './parallelRunAnswerKey.js';
