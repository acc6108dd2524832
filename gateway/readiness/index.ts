export { createReadiness } from './createReadiness.js';
export type { Readiness, ReadinessCheck, ReadinessOptions, ReadinessReport } from './createReadiness.js';
