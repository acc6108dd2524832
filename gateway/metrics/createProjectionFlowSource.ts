import type { ContextModule, FlowMetric, FlowSample } from '../../platform/context/index.js';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { PartitionWatermark } from '../../platform/projection/index.js';
import { countQuarantine, readWatermarks } from '../../platform/projection/index.js';
import type { FlowSource } from './createFlowCollector.js';
import { runReadOnly } from './runReadOnly.js';

/** What every context publishes, from the engine's own tables (DESIGN §6). */
export const PROJECTION_FLOW_METRICS: readonly FlowMetric[] = [
  { name: 'dpg_projection_lag_records', help: 'Records in the log not yet applied by the projection, summed over its topics and partitions (live log-end offsets).', labelNames: ['context', 'projection'] },
  { name: 'dpg_projection_event_time_watermark_seconds', help: 'Greatest event time (occurredAt) the projection has applied, over its topics and partitions, as unix seconds.', labelNames: ['context', 'projection'] },
  { name: 'dpg_projection_event_time_watermark_age_seconds', help: 'Collection time less that watermark: how far the projection is behind business time (it grows while producers are idle too).', labelNames: ['context', 'projection'] },
  { name: 'dpg_projection_partition_lag_records', help: 'Records of one input partition not yet applied by the projection (live log-end offset less the checkpoint).', labelNames: ['context', 'projection', 'topic', 'partition'] },
  { name: 'dpg_projection_partition_event_time_seconds', help: 'Greatest event time the projection has applied from one input partition, as unix seconds (absent before its first event).', labelNames: ['context', 'projection', 'topic', 'partition'] },
  {
    name: 'dpg_projection_records',
    help: 'Records of one input partition the projection has handled since it was created, by outcome (applied, duplicate, parked, quarantined, ignored), from its checkpoints: it only grows (use rate() or increase() like a counter).',
    labelNames: ['context', 'projection', 'topic', 'partition', 'outcome'],
  },
  { name: 'dpg_quarantine_entries', help: 'Quarantine entries per context, projection, reason code and state (open, redriven).', labelNames: ['context', 'projection', 'reason', 'state'] },
];

/**
 * A context's projection gauges: its watermarks and quarantine counts, read in one read-only
 * transaction (two aggregate queries plus one per projection for parked events). Live log-end
 * offsets are fetched before the transaction opens, so no connection waits on the broker.
 */
export function createProjectionFlowSource(deps: { db: Database; log: Pick<EventLog, 'endOffsets'> }, context: Pick<ContextModule, 'name' | 'ingestion'>, schema: string, timeoutMs: number): FlowSource {
  const topics = [...new Set(context.ingestion.decoders.map((d) => d.topic))];
  return {
    id: `projections:${context.name}`,
    async collect() {
      const ends = new Map(await Promise.all(topics.map(async (topic) => [topic, await deps.log.endOffsets(topic)] as const)));
      const log = { endOffsets: async (topic: string) => ends.get(topic) ?? [] };
      const { marks, quarantine } = await runReadOnly(deps.db, timeoutMs, async (tx) => ({ marks: await readWatermarks(tx, schema, { log }), quarantine: await countQuarantine(tx, schema) }));
      const at = Date.now();
      return [
        ...watermarkSamples(context.name, marks, at),
        ...quarantine.map((q) => ({ name: 'dpg_quarantine_entries', labels: { context: context.name, projection: q.projection, reason: q.reasonCode, state: q.state }, value: q.entries })),
      ];
    },
  };
}

function watermarkSamples(context: string, marks: readonly PartitionWatermark[], at: number): FlowSample[] {
  const byProjection = new Map<string, PartitionWatermark[]>();
  for (const mark of marks) byProjection.set(mark.projection, [...(byProjection.get(mark.projection) ?? []), mark]);
  return [...byProjection].flatMap(([projection, rows]) => {
    const labels = { context, projection };
    const lag: FlowSample = { name: 'dpg_projection_lag_records', labels, value: rows.reduce((sum, r) => sum + r.lagRecords, 0) };
    const eventTimes = rows.flatMap((r) => (r.maxEventTime ? [r.maxEventTime.getTime()] : []));
    // Before its first event a projection has no watermark: no sample, rather than 1970.
    if (eventTimes.length === 0) return [lag];
    const watermark = Math.max(...eventTimes);
    return [lag, { name: 'dpg_projection_event_time_watermark_seconds', labels, value: watermark / 1000 }, { name: 'dpg_projection_event_time_watermark_age_seconds', labels, value: (at - watermark) / 1000 }];
  }).concat(marks.flatMap((r) => partitionSamples(context, r)));
}

/** Per input partition: lag, event time, and what became of its records (topics × partitions × 5 outcomes per projection: bounded). */
function partitionSamples(context: string, r: PartitionWatermark): FlowSample[] {
  const labels = { context, projection: r.projection, topic: r.topic, partition: String(r.partition) };
  const outcomes: Array<[string, number]> = [['applied', r.appliedCount], ['duplicate', r.duplicateCount], ['parked', r.parkedCount], ['quarantined', r.quarantinedCount], ['ignored', r.ignoredCount]];
  return [
    { name: 'dpg_projection_partition_lag_records', labels, value: r.lagRecords },
    ...(r.maxEventTime ? [{ name: 'dpg_projection_partition_event_time_seconds', labels, value: r.maxEventTime.getTime() / 1000 }] : []),
    ...outcomes.map(([outcome, value]) => ({ name: 'dpg_projection_records', labels: { ...labels, outcome }, value })),
  ];
}
