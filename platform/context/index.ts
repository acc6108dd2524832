export type { ContextModule } from './ContextModule.js';
export { checkFlowMetrics } from './checkFlowMetrics.js';
export type { ContextFlowMetrics, FlowMetric, FlowSample } from './FlowMetrics.js';
