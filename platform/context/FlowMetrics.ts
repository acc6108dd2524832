import type { Queryable } from '../database/index.js';

/**
 * A gauge a context (or a contract) publishes at `/metrics`, declared up front so the scrape
 * always carries its HELP and TYPE and every sample is checked against its label names.
 */
export interface FlowMetric {
  /** Prometheus name, `dpg_<context>_...` (the context's own namespace, so two contexts never collide). */
  name: string;
  /** One sentence: what is counted, over which window. Shown as `# HELP`. */
  help: string;
  /** The labels every sample of this gauge carries, e.g. `['rule', 'owner', 'severity']`. Keep their values few (Prometheus stores a series per combination). */
  labelNames: readonly string[];
}

/** One value of a declared gauge, computed at scrape time. */
export interface FlowSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A context's own flow metrics (e.g. open exceptions per rule and owner). The
 * gateway calls `collect` at each scrape with the context's schema and, on PostgreSQL, a read-only
 * transaction whose statements time out; a collector that fails or is late costs its samples for
 * that scrape (and counts in `dpg_metrics_collect_errors_total`), never the scrape. A failed
 * statement ends the transaction: let errors propagate rather than catch them and query on.
 */
export interface ContextFlowMetrics {
  metrics: readonly FlowMetric[];
  /** Keep it to a few indexed aggregate queries: it runs on every scrape (every 15 to 60 s per Prometheus). */
  collect(deps: { db: Queryable; schema: string }): Promise<FlowSample[]>;
}
