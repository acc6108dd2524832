import type { ContextModule } from '../platform/context/index.js';
import { fulfillmentContextModule } from './fulfillment/index.js';
import { ordersContextModule } from './orders/index.js';
import { paymentsContextModule } from './payments/index.js';
import { reconciliationContextModule } from './reconciliation/index.js';

/**
 * The one list of bounded contexts. The composition root (gateway, CLI, `npm start`) builds
 * projectors, subgraphs, freshness, catalog, admin routes and the simulator from it; a new
 * context is a folder of its own plus one line here.
 */
export const contexts: readonly ContextModule[] = [ordersContextModule, paymentsContextModule, fulfillmentContextModule, reconciliationContextModule];

/** Simulated order journeys across the contexts' topics (orders, payments, shipments). */
export { createJourneySimulator, DEFAULT_JOURNEY_RATES } from './journeys/index.js';
export type { JourneyRace, JourneyRates, JourneySimulator, JourneySimulatorOptions, OrderJourney } from './journeys/index.js';

/**
 * The legacy finance extract (a file feed of the old platform): its one codec, what a faithful
 * legacy books for simulated journeys, the files with the legacy's own faults planted, and the
 * answer key a parallel run over them must reproduce.
 */
export {
  businessDateOfFinanceExtract,
  decodeFinanceExtractLine,
  DEFAULT_FINANCE_EXTRACT_FAULTS,
  encodeFinanceExtract,
  EXPECTED_DIVERGENCE_CLASSES,
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
  legacyFinanceBookings,
  parallelRunAnswerKey,
  planFinanceExtracts,
  writeFinanceExtracts,
} from './journeys/index.js';
export type {
  ExpectedDivergence,
  ExpectedDivergenceClass,
  ExpectedExtractProblem,
  FinanceExtractFaults,
  FinanceExtractField,
  FinanceExtractFile,
  FinanceExtractLine,
  FinanceExtractLineProblem,
  FinanceExtractOptions,
  FinanceExtractSet,
  ParallelRunAnswerKey,
  PlantedExtractFault,
  PlantedExtractFaultKind,
} from './journeys/index.js';
