export type { ContextModule } from './ContextModule.js';
export { checkFlowMetrics } from './checkFlowMetrics.js';
export type { ContextFlowMetrics, FlowMetric, FlowSample, FlowSummary } from './FlowMetrics.js';
export { summarize } from './FlowMetrics.js';
