import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { FlowMetric, FlowSample } from '../../platform/context/index.js';
import { isMissingRelation } from '../../platform/database/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';

/** One unit of work at scrape time: a context's projections, a context's own gauges, a contract's. */
export interface FlowSource {
  /** Names the source in `dpg_metrics_collect_*{source}` and in logs, e.g. `projections:<context>`. */
  id: string;
  collect(): Promise<FlowSample[]>;
}

/** Why a source has no samples in a scrape: its tables are missing, it threw, it was late, or it returned samples of undeclared shape. */
export type CollectErrorKind = 'missing_tables' | 'failed' | 'timeout' | 'invalid_sample';

export interface FlowCollectorOptions {
  /** The longest `refresh` waits; sources not done by then count as `timeout` and are left out. */
  timeoutMs: number;
  /** Samples younger than this are served again without collecting. */
  reuseMs: number;
  /** Sources collected at once. */
  concurrency: number;
  /** Where a source turning unavailable is warned about (once, until it recovers). Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface FlowCollector {
  /** Brings every source's samples up to date within `timeoutMs`. Never throws: a failing source costs its own samples only. */
  refresh(): Promise<void>;
}

interface Collection {
  promise: Promise<void>;
  settled: boolean;
  /** A scrape gave up on it: it was counted as a timeout, and its late failure is not counted again. */
  abandoned: boolean;
}

interface SourceState {
  source: FlowSource;
  last: { at: number; samples: FlowSample[] } | null;
  running: Collection | null;
  /** Whether the last collection succeeded: failures are logged when a source turns bad, not at every scrape. */
  healthy: boolean;
}

/**
 * Gauges computed at scrape time, isolated per source: each declared metric is a gauge whose
 * collect callback serves the latest samples. A source is never collected twice at once (a slow
 * one still running from an earlier scrape is waited for, not started again), at most
 * `concurrency` run together, and a source that fails or is late loses its series for that scrape
 * rather than showing stale values; `dpg_metrics_collect_errors_total` says which and why.
 */
export function createFlowCollector(registry: Registry, metrics: readonly FlowMetric[], sources: readonly FlowSource[], options: FlowCollectorOptions): FlowCollector {
  const errors = new Counter({ name: 'dpg_metrics_collect_errors_total', help: 'Flow metric collections that yielded no samples for a scrape, by source and kind (missing_tables, failed, timeout, invalid_sample).', labelNames: ['source', 'kind'], registers: [registry] });
  const durations = new Gauge({ name: 'dpg_metrics_collect_duration_seconds', help: 'How long the last collection of each flow metric source took (the timeout, when it was late).', labelNames: ['source'], registers: [registry] });
  const states: SourceState[] = sources.map((source) => ({ source, last: null, running: null, healthy: true }));
  const declared = new Map(metrics.map((m) => [m.name, m]));

  for (const metric of metrics) {
    new Gauge({
      name: metric.name,
      help: metric.help,
      labelNames: [...metric.labelNames],
      registers: [registry],
      collect() {
        this.reset();
        // A gauge without labels resets to 0, which would claim a value nobody collected.
        if (metric.labelNames.length === 0) this.remove({});
        for (const state of states) for (const sample of state.last?.samples ?? []) if (sample.name === metric.name) this.set(sample.labels, sample.value);
      },
    });
  }

  const fail = (state: SourceState, kind: CollectErrorKind, error: unknown) => {
    errors.inc({ source: state.source.id, kind });
    state.last = null;
    if (state.healthy) (options.logger ?? defaultLogger()).warn({ component: 'metrics', source: state.source.id, kind, err: error }, 'flow metrics unavailable');
    state.healthy = false;
  };

  const begin = (state: SourceState): Collection => {
    const started = performance.now();
    const collection: Collection = { promise: Promise.resolve(), settled: false, abandoned: false };
    collection.promise = state.source
      .collect()
      .then(
        (samples) => {
          const valid = samples.filter((s) => isValidSample(s, declared.get(s.name)));
          if (valid.length < samples.length) fail(state, 'invalid_sample', `${samples.length - valid.length} sample(s) of undeclared metrics, wrong labels or non-finite values`);
          else state.healthy = true;
          // A late success still serves a following scrape within the reuse window.
          state.last = { at: performance.now(), samples: valid };
        },
        (error: unknown) => {
          if (!collection.abandoned) fail(state, isMissingRelation(error) ? 'missing_tables' : 'failed', error);
        },
      )
      .finally(() => {
        collection.settled = true;
        state.running = null;
        durations.set({ source: state.source.id }, (performance.now() - started) / 1000);
      });
    state.running = collection;
    return collection;
  };

  return {
    async refresh() {
      const now = performance.now();
      const due = states.filter((s) => s.running !== null || s.last === null || now - s.last.at > options.reuseMs);
      const queue = due.filter((s) => s.running === null);
      const stillRunning = due.flatMap((s) => (s.running ? [s.running] : []));
      let expired = false;
      let timer: NodeJS.Timeout | undefined;
      const expiry = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          expired = true;
          resolve();
        }, options.timeoutMs);
      });
      const lane = async () => {
        while (!expired && queue.length > 0) await Promise.race([begin(queue.shift()!).promise, expiry]);
      };
      const lanes = Array.from({ length: Math.min(options.concurrency, queue.length) }, lane);
      await Promise.race([Promise.all([...lanes, ...stillRunning.map((c) => c.promise)]), expiry]);
      clearTimeout(timer);
      for (const state of due) {
        const late = state.running !== null && !state.running.settled;
        const neverStarted = queue.includes(state);
        if (!late && !neverStarted) continue;
        if (state.running) state.running.abandoned = true;
        durations.set({ source: state.source.id }, options.timeoutMs / 1000);
        fail(state, 'timeout', `not done within ${options.timeoutMs} ms${neverStarted ? ' (not started: earlier sources used the time)' : ''}`);
      }
    },
  };
}

function isValidSample(sample: FlowSample, metric: FlowMetric | undefined): boolean {
  if (!metric || typeof sample.value !== 'number' || !Number.isFinite(sample.value)) return false;
  const keys = Object.keys(sample.labels);
  return keys.length === metric.labelNames.length && metric.labelNames.every((l) => typeof sample.labels[l] === 'string');
}
