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
