export { loadConfig, redactUrl } from './loadConfig.js';
export type { CacheConfig, Config, DatabaseConfig, EventLogConfig, SimulatorConfig } from './loadConfig.js';
