import type { EventEnvelope } from '../events/index.js';
import type { BoundedContext } from '../projection/index.js';
import type { SubgraphVersion } from '../subgraph/index.js';
import type { ContextFlowMetrics } from './FlowMetrics.js';

/**
 * How a bounded context declares itself, once, in its own folder: what it ingests and projects,
 * the subgraph versions it serves, and who owns its truth. The composition root (the one list in
 * `subgraphs/index.ts`) iterates these; no code outside a context's folder names the context.
 */
export interface ContextModule {
  /** The context's name: its folder, its default Postgres schema, part of its consumer groups. */
  name: string;
  /** The team accountable for the context's truth (catalog, exceptions, alerts). */
  owner: string;
  /** One sentence on what the context knows, for the catalog. */
  description: string;
  /** Topics with their decoders and translators, projections, quarantine display: what the projector runs. */
  ingestion: BoundedContext<EventEnvelope>;
  /** The versions it serves, oldest first. Each carries its topic lineage. */
  subgraphs: SubgraphVersion[];
  /**
   * Gauges of the context's own flow, published at `/metrics` beside the ones every context gets
   * (projection lag, event-time watermark, quarantine). Names live in `dpg_<name>_`. Default: none.
   */
  flowMetrics?: ContextFlowMetrics;
}
