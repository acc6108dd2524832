export { createGatewayMetrics } from './createGatewayMetrics.js';
export type { FlowMetricsSources, GatewayMetrics, GatewayMetricsOptions, MetricsAccess } from './createGatewayMetrics.js';
export type { ContractOperationRunner } from './createContractFlowSource.js';
export type { CollectErrorKind } from './createFlowCollector.js';
export { createRouteLabeler } from './createRouteLabeler.js';
export { useOperationKind } from './useOperationKind.js';
export { createServiceMetrics } from './createServiceMetrics.js';
export type { ServiceMetrics } from './createServiceMetrics.js';
export { registerDatabaseMetrics } from './registerDatabaseMetrics.js';
