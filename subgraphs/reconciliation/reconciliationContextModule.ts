import type { ContextModule } from '../../platform/context/index.js';
import { reconciliationContext } from './reconciliationContext.js';
import { reconciliationFlowMetrics } from './reconciliationFlowMetrics.js';
import { reconciliationV1Subgraph } from './reconciliationV1Subgraph.js';

/** The reconciliation context as the composition root sees it. */
export const reconciliationContextModule: ContextModule = {
  name: 'reconciliation',
  owner: 'order-to-cash-controlling',
  description: 'Where orders, payments and fulfillment disagree: exceptions decided by event time, owned by the context that must act, and per order what the three agree on.',
  ingestion: reconciliationContext,
  subgraphs: [reconciliationV1Subgraph],
  flowMetrics: reconciliationFlowMetrics,
};
