export { loadConfig, PROCESS_ROLES, redactUrl } from './loadConfig.js';
export type { AccessConfig, CacheConfig, Config, DatabaseConfig, EventLogConfig, JwtConfig, ProcessRole, ResponseCacheConfig, SimulatorConfig } from './loadConfig.js';
