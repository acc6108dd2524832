import type { Database } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import type { EventEnvelope } from '../../platform/events/index.js';
import type { BoundedContext } from '../../platform/projection/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { DEFAULT_ALLOWED_LATENESS_MS, projectionStorage, readWatermarks, settleProjection } from '../../platform/projection/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';

/** Produces simulator records in log order, in chunks (as a producer would). */
export async function produceAll(log: EventLog, records: readonly SimulatedRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    // Keep cross-topic order: flush a run of one topic before the next.
    let start = 0;
    for (let j = 1; j <= chunk.length; j++) {
      if (j === chunk.length || chunk[j]!.topic !== chunk[start]!.topic) {
        await log.produce(chunk[start]!.topic, chunk.slice(start, j).map((r) => ({ key: r.key, value: r.value })));
        start = j;
      }
    }
  }
}

/** Waits until every partition of the projection's topics is applied up to the log end. */
export async function waitUntilCaughtUp(db: Database, log: EventLog, schema: string, topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ends = new Map<string, number[]>();
  for (const topic of topics) ends.set(topic, await log.endOffsets(topic));
  for (;;) {
    const marks = await readWatermarks(db, schema).catch(() => []);
    const behind = [...ends].flatMap(([topic, offsets]) => offsets.map((end, partition) => ({ topic, partition, end, at: marks.find((m) => m.topic === topic && m.partition === partition)?.nextOffset ?? 0 }))).filter((p) => p.at < p.end);
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`projector did not catch up: ${JSON.stringify(behind)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The orders projection's rows, in a stable order, with timestamps as ISO strings: for equality checks. */
export async function snapshotOrders(db: Database, schema: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const normalise = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  for (const [table, order] of [['orders', 'order_id'], ['order_lines', 'order_id, line_id'], ['order_status_history', 'order_id, sequence']] as const) {
    const { rows } = await db.query(`select * from "${schema}"."${table}" order by ${order}`);
    out[table] = rows.map(normalise);
  }
  return out;
}

/**
 * Every table of every projection of a context, rows in a stable order (all columns but the
 * write stamps, which differ by design between runs), timestamps as ISO strings: for equality
 * checks that know nothing of the context.
 */
export async function snapshotContext(db: Database, schema: string, context: Pick<BoundedContext<EventEnvelope>, 'projections'>): Promise<Record<string, unknown[]>> {
  // A projection that settles on event time is compared settled: the projector settles after its
  // last batch, asynchronously, and this waits for nothing else.
  for (const projection of context.projections) {
    if (projection.settlement) await settleProjection({ db }, projection, projectionStorage(schema, projection).tables, { schema, allowedLatenessMs: DEFAULT_ALLOWED_LATENESS_MS, wait: true });
  }
  const out: Record<string, unknown[]> = {};
  const normalise = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  for (const projection of context.projections) {
    for (const table of projection.tables) {
      const stamps = new Set(table.writeStampColumns ?? []);
      const { rows: columns } = await db.query<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`, [schema, table.name]);
      const kept = columns.map((c) => c.column_name).filter((c) => !stamps.has(c));
      if (kept.length === 0) throw new Error(`no table ${schema}.${table.name}: has the projector started?`);
      const list = kept.map((c) => quoteIdent(c)).join(', ');
      // Ordered by every column as text: any type (json included) sorts, and the order is total.
      const { rows } = await db.query(`select ${list} from ${quoteIdent(schema)}.${quoteIdent(table.name)} order by ${kept.map((c) => `${quoteIdent(c)}::text`).join(', ')}`);
      out[`${projection.name}.${table.name}`] = rows.map(normalise);
    }
  }
  return out;
}

/**
 * A context's quarantine rows in a stable order (topic, partition, offset, reason), without ids
 * and timestamps: what was quarantined, why, and what became of it (state and outcome), for
 * equality checks across runs.
 */
export async function snapshotQuarantine(db: Database, schema: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await db.query(
    `select projection, topic, partition, record_offset::int as record_offset, reason_code, reason, quarantine_state, redrive_outcome
     from ${quoteIdent(schema)}.quarantine order by topic, partition, record_offset, reason`,
  );
  return rows;
}
