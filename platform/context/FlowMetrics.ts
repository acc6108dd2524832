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
  /**
   * What the catalog page shows stewards of these gauges: each a gauge's samples summed by some
   * of its labels (e.g. open exceptions per owner). Default none.
   */
  summaries?: readonly FlowSummary[];
}

/** A table on the catalog page: `metric`'s samples summed per combination of the labels `by`. */
export interface FlowSummary {
  title: string;
  metric: string;
  by: readonly string[];
}

/** Sums a gauge's samples per combination of labels, sorted by those labels: a summary's rows. */
export function summarize(samples: readonly FlowSample[], summary: FlowSummary): Array<{ labels: Record<string, string>; value: number }> {
  const rows = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const sample of samples) {
    if (sample.name !== summary.metric) continue;
    const labels = Object.fromEntries(summary.by.map((label) => [label, sample.labels[label] ?? '']));
    const key = JSON.stringify(labels);
    const row = rows.get(key) ?? { labels, value: 0 };
    row.value += sample.value;
    rows.set(key, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
