export { compileContract, contractDirectivesSdl, NOT_YOUR_CURSOR } from './compileContract.js';
export type { ContractRequestContext, ContractSource } from './compileContract.js';
export { ContractLoadError, describeProblem } from './ContractError.js';
export type { ContractProblem } from './ContractError.js';
export type { CompiledContract, ContractAudience, ContractField, ContractFlowMetrics, ContractMeta, ContractStatus, DerivedFieldContext, DerivedFieldResolvers, FieldDeprecation, FreshnessBinding, LineageLink } from './ContractModel.js';
export { loadContracts } from './loadContracts.js';
export { planContractChangeFeed } from './planContractChangeFeed.js';
export type { ContractChangeFeedPlan } from './planContractChangeFeed.js';
