export { CONTRACT_SQL_PLANNING_VALUES, loadConfig, PROCESS_ROLES, redactUrl } from './loadConfig.js';
export type { AccessConfig, CacheConfig, Config, ContractSqlPlanning, DatabaseConfig, EventLogConfig, JwtConfig, ProcessRole, ResponseCacheConfig, SimulatorConfig } from './loadConfig.js';
