export { createHttpDrain } from './createHttpDrain.js';
export type { HttpDrain } from './createHttpDrain.js';
export { createShutdown, exitCodeOf, handleTerminationSignals } from './createShutdown.js';
export type { Shutdown, ShutdownOptions, ShutdownOutcome, ShutdownPlan, ShutdownTask, TerminationOptions } from './createShutdown.js';
export { planShutdown } from './planShutdown.js';
export type { ProcessParts } from './planShutdown.js';
export { createStartupGuard } from './createStartupGuard.js';
export type { StartupGuard, StartupGuardOptions } from './createStartupGuard.js';
