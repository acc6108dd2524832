import type { ContextFlowMetrics, ContextModule } from '../../platform/context/index.js';
import type { Database } from '../../platform/database/index.js';
import type { FlowSource } from './createFlowCollector.js';
import { runReadOnly } from './runReadOnly.js';

/** A context's own gauges (`ContextModule.flowMetrics`), collected in a read-only transaction with a statement timeout. */
export function createContextFlowSource(db: Database, context: Pick<ContextModule, 'name'> & { flowMetrics: ContextFlowMetrics }, schema: string, timeoutMs: number): FlowSource {
  return {
    id: `context:${context.name}`,
    collect: () => runReadOnly(db, timeoutMs, (tx) => context.flowMetrics.collect({ db: tx, schema })),
  };
}
