export { createJourneySimulator } from './createJourneySimulator.js';
export type { JourneySimulator, JourneySimulatorOptions } from './createJourneySimulator.js';
export type { JourneyRace, OrderJourney } from './OrderJourney.js';
export { DEFAULT_JOURNEY_RATES } from './writeOrderJourney.js';
export type { JourneyRates } from './writeOrderJourney.js';
