export { loadConfig, redactUrl } from './loadConfig.js';
export type { AccessConfig, CacheConfig, Config, DatabaseConfig, EventLogConfig, JwtConfig, SimulatorConfig } from './loadConfig.js';
