import type { Queryable } from '../database/index.js';
import type { EventLog } from '../eventLog/index.js';
import { contextTables, engineTables } from './projectionStorage.js';

/** Per projection and partition (DESIGN §6). Freshness is computed from these, never guessed. */
export interface PartitionWatermark {
  projection: string;
  topic: string;
  partition: number;
  /** First offset not yet applied. */
  nextOffset: number;
  /** Log-end offset: from the live log when one was given, else as last seen by the projector. */
  logEndOffset: number;
  /** Records written to the log and not yet applied. */
  lagRecords: number;
  /** Greatest event time (`occurredAt`) applied. */
  maxEventTime: Date | null;
  /** When the projector last committed a batch for this partition (processing time). */
  lastAppliedAt: Date | null;
  appliedCount: number;
  duplicateCount: number;
  parkedCount: number;
  parkedNow: number;
  quarantinedCount: number;
  ignoredCount: number;
  /**
   * The projection's count of changes made outside partition batches (re-drives by hand,
   * settlements, rebuild swaps; see countProjectionChange), or null where the schema predates it.
   * With every partition's `nextOffset`, a version that moves on every applied change.
   */
  changeSeq: number | null;
}

/**
 * The watermarks of a context's projections. With `log`, log-end offsets (and so lag) are the
 * log's live ones: a stalled projector's own last-seen end would hide its growing lag.
 */
export async function readWatermarks(db: Queryable, schema: string, options: { log?: Pick<EventLog, 'endOffsets'>; projection?: string } = {}): Promise<PartitionWatermark[]> {
  const { rows } = await readCheckpointRows(db, schema, options.projection ?? null);
  const projections = [...new Set(rows.map((r) => r.projection))];
  const parkedNow = new Map<string, number>();
  for (const projection of projections) {
    const parked = await db.query<{ topic: string; partition: number; n: number }>(`select topic, partition, count(*)::int as n from ${engineTables(schema, projection).parked} group by topic, partition`);
    for (const p of parked.rows) parkedNow.set(`${projection}/${p.topic}/${p.partition}`, p.n);
  }
  const liveEnds = new Map<string, number[]>();
  if (options.log) {
    for (const topic of new Set(rows.map((r) => r.topic))) liveEnds.set(topic, await options.log.endOffsets(topic));
  }
  return rows.map((r) => {
    const nextOffset = Number(r.next_offset);
    const logEndOffset = Math.max(Number(r.log_end_offset), liveEnds.get(r.topic)?.[r.partition] ?? 0);
    return {
      projection: r.projection,
      topic: r.topic,
      partition: r.partition,
      nextOffset,
      logEndOffset,
      lagRecords: Math.max(0, logEndOffset - nextOffset),
      maxEventTime: r.max_event_time,
      lastAppliedAt: r.last_applied_at,
      appliedCount: Number(r.applied_count),
      duplicateCount: Number(r.duplicate_count),
      parkedCount: Number(r.parked_count),
      parkedNow: parkedNow.get(`${r.projection}/${r.topic}/${r.partition}`) ?? 0,
      quarantinedCount: Number(r.quarantined_count),
      ignoredCount: Number(r.ignored_count),
      changeSeq: r.change_seq === undefined ? null : Number(r.change_seq),
    };
  });
}

type CheckpointRow = { projection: string; topic: string; partition: number; next_offset: string; log_end_offset: string; max_event_time: Date | null; last_applied_at: Date | null; applied_count: string; duplicate_count: string; parked_count: string; quarantined_count: string; ignored_count: string; change_seq?: string };

/** The checkpoint rows with their projection's change count, in one statement; without it in a schema whose projector has not created the table yet. */
async function readCheckpointRows(db: Queryable, schema: string, projection: string | null): Promise<{ rows: CheckpointRow[] }> {
  const { checkpoints, changes } = contextTables(schema);
  const where = `where $1::text is null or c.projection = $1 order by c.projection, c.topic, c.partition`;
  try {
    return await db.query<CheckpointRow>(`select c.*, coalesce(x.change_seq, 0) as change_seq from ${checkpoints} c left join ${changes} x on x.projection = c.projection ${where}`, [projection]);
  } catch (error) {
    // 42P01 undefined_table, for projection_changes only: it comes with this version of the
    // projector, which creates it at start. (Inside a caller's transaction the retry fails too:
    // the statement aborted it. Only a metrics scrape reads so, until the projector restarts.)
    if ((error as { code?: unknown }).code !== '42P01' || !String((error as Error).message).includes('projection_changes')) throw error;
    return db.query<CheckpointRow>(`select c.* from ${checkpoints} c ${where}`, [projection]);
  }
}
