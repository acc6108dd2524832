import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../database/index.js';
import { quoteIdent } from '../database/index.js';
import type { EventLog, LogRecord } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { defaultLogger } from '../logging/index.js';
import type { ApplyPlan } from './applyInputs.js';
import { applyInputs } from './applyInputs.js';
import type { BoundedContext } from './BoundedContext.js';
import { contextTables, countProjectionChange, createQuarantineTable, createSwapSetTables, projectionStorage, shadowStorage, swapSet } from './projectionStorage.js';
import type { ProvenanceRow } from './Provenance.js';
import { PROVENANCE_COLUMNS, provenanceFromRow } from './Provenance.js';
import { readEvidence } from './rawEvidence.js';
import { readEvidenceRanges } from './readEvidenceRanges.js';

export interface RebuildOptions {
  schema?: string;
  /** Must equal the live projector's, or parity cannot hold. Default 1000. */
  gapBound?: number;
  /**
   * Swap even when the shadow differs from the live tables (after a fix to the projection's
   * logic, differences are the point). Default false: a drill that finds differences reports
   * them and leaves the live tables in place.
   */
  acceptDifferences?: boolean;
  /**
   * Where the bulk replay reads the records. `evidence` (default): the raw evidence in this
   * database, which keeps every record applied for as long as the projection exists, where the
   * log keeps them only for its retention; a partition range the evidence does not hold in full
   * is read from the log. `log`: the log only (a drill of the log itself).
   */
  replaySource?: 'evidence' | 'log';
  /** Records per replay transaction when reading the evidence. Default 5000. */
  replayBatchSize?: number;
  /** Test hook, called after the replay and before the swap transaction. */
  beforeSwap?: () => Promise<void>;
  /** Where the rebuild's start, replay, parity and swap are logged (info). Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface TableParity {
  table: string;
  liveRows: number;
  shadowRows: number;
  /** Rows in live and not in shadow (multiset difference), and the reverse. */
  missingInShadow: number;
  extraInShadow: number;
}

export interface RebuildReport {
  projection: string;
  /** Records replayed (bulk replay plus the catch-up inside the swap). */
  events: number;
  /** Of `events`, those the bulk replay read from the log rather than the raw evidence. */
  eventsFromLog: number;
  durationMs: number;
  parity: TableParity[];
  parityOk: boolean;
  swapped: boolean;
  /**
   * What the replay would have quarantined, gap-expired entries it then re-drove automatically
   * included (the live quarantine is not written: a rebuild has no side effects).
   */
  quarantinedDuringReplay: number;
}

/**
 * Rebuilds a projection from its raw evidence (or the log, where the evidence falls short; see
 * RebuildOptions.replaySource) into shadow tables, checks parity against the live tables
 * and swaps them in atomically (DESIGN §6). The live projector keeps running: the swap
 * transaction locks its checkpoints, catches the shadow up to them from the raw evidence (the
 * same records, already in this database), compares, and renames. Readers see the old tables
 * until commit and the new ones after it. The replay runs the engine exactly as the live run
 * did, gap expiry and the automatic re-drive of gap-expired events included; what it quarantines
 * goes to a scratch quarantine of its own, dropped before the swap.
 */
export async function rebuildProjection<E extends EventEnvelope>(deps: { log: EventLog; db: Database }, context: BoundedContext<E>, projectionName: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  const started = performance.now();
  const schema = options.schema ?? context.name;
  const gapBound = options.gapBound ?? 1000;
  const projection = context.projections.find((p) => p.name === projectionName);
  if (!projection) {
    throw new PlatformError(PlatformErrorCode.NotFound, `Context ${context.name} has no projection ${projectionName}. Known: ${context.projections.map((p) => p.name).join(', ')}.`);
  }
  const decoders = new Map(context.decoders.map((d) => [d.topic, d]));
  const live = projectionStorage(schema, projection);
  const shadow = shadowStorage(schema, projection, `__rb${randomBytes(3).toString('hex')}`);
  const log = (options.logger ?? defaultLogger()).child({ component: 'rebuild', schema, projection: projection.name });
  log.info({ shadowSuffix: shadow.suffix }, 'rebuild started');
  const plan: ApplyPlan<E, unknown> = { projection, decoders, storage: shadow, keepsEvidence: false };
  await createSwapSetTables(deps.db, projection, shadow);
  await createQuarantineTable(deps.db, shadow.quarantine);

  let events = 0;
  let quarantinedDuringReplay = 0;
  const reached = new Map<string, number>();
  const replay = async (tx: Queryable, records: LogRecord[]) => {
    const first = records[0];
    if (!first) return;
    const lastOffset = records[records.length - 1]!.offset;
    const counts = await applyInputs(tx, plan, records.map((record) => ({ kind: 'record' as const, record })), {
      mode: 'rebuild',
      expiry: { topic: first.topic, partition: first.partition, lastOffset, gapBound },
    });
    events += records.length;
    quarantinedDuringReplay += counts.quarantined.length;
    reached.set(`${first.topic}/${first.partition}`, lastOffset + 1);
  };

  try {
    // 1. Bulk replay from the log, up to where the live projector stood when we looked.
    const checkpoints = await readCheckpoints(deps.db, live.checkpoints, projection.name);
    // Every topic's partitions in one queue, read and applied `concurrency` at a time, as the
    // live projector applies them: one topic after another left a core idle at each topic's tail.
    const ranges = checkpoints.map((c) => ({ topic: c.topic, partition: c.partition, from: 0, until: c.nextOffset }));
    const apply = (records: LogRecord[]) =>
      deps.db.transaction(async (tx) => {
        // The replay writes only the shadow tables, which a crash makes worthless anyway (the
        // rebuild fails and drops them): its commits need not wait for the disk. The swap below
        // commits as every transaction does.
        await tx.query('set local synchronous_commit = off');
        await replay(tx, records);
      });
    const fromLog = options.replaySource === 'log' ? ranges : await readEvidenceRanges(deps.db, live.rawBatches, ranges, apply, { batchSize: options.replayBatchSize });
    const before = events;
    const topics = [...new Set(fromLog.map((r) => r.topic))];
    await Promise.all(topics.map((topic) => deps.log.readRanges(topic, fromLog.filter((r) => r.topic === topic).map(({ partition, from, until }) => ({ partition, from, until })), apply)));
    const eventsFromLog = events - before;
    log.info({ events, eventsFromLog, durationMs: Math.round(performance.now() - started) }, 'rebuild replayed the evidence and the log into the shadow tables');
    await options.beforeSwap?.();

    // 2. Swap: fence the live projector, catch up, compare, rename — one transaction.
    return await deps.db.transaction(async (tx) => {
      const now = await readCheckpoints(tx, live.checkpoints, projection.name, true);
      // The checkpoints fence the live projector's batches; a re-drive by hand takes no
      // checkpoint, so the live tables themselves are locked against writers too (readers go on)
      // before the re-drives are read below. Without it a re-drive committing after that read
      // and before the renames would write into tables the swap then drops.
      await tx.query(`lock table ${swapSet(projection, live).map(([, table]) => table).join(', ')} in share row exclusive mode`);
      for (const c of now) {
        const from = reached.get(`${c.topic}/${c.partition}`) ?? 0;
        if (c.nextOffset <= from) continue;
        const { records } = await readEvidence(tx, live.rawBatches, c.topic, c.partition, from, c.nextOffset);
        await replay(tx, records);
      }

      // Re-drives by hand happened outside the log: replay the ones that applied, in the order
      // they were made, so the shadow holds what the live tables hold. Automatic re-drives (an
      // outcome ending in `-automatically`) are not among them: the replay above made them again.
      const { rows: redriven } = await tx.query<ProvenanceRow & { event: E | null }>(
        `select ${PROVENANCE_COLUMNS}, event from ${live.quarantine}
         where projection = $1 and quarantine_state = 'redriven' and redrive_outcome in ('applied', 'parked') order by redriven_at, quarantine_id`,
        [projection.name],
      );
      for (const row of redriven) {
        const provenance = provenanceFromRow(row);
        await applyInputs(tx, plan, [row.event ? { kind: 'event', event: row.event, provenance } : { kind: 'record', record: { ...provenance, headers: {}, timestamp: 0 } }], { mode: 'rebuild' });
      }
      // A projection that settles on event time: both copies are settled at the watermark the
      // live one last settled at (locked, so the live settler cannot move it meanwhile), the live
      // copy for what is due and not yet settled, the shadow for everything. Settling is a pure
      // function of rows and watermark, so parity holds whatever the replay's interleaving.
      if (projection.settlement) {
        const { rows: settled } = await tx.query<{ watermark: Date | null }>(`select watermark from ${contextTables(schema).settlements} where projection = $1 for update`, [projection.name]);
        const watermark = settled[0]?.watermark ?? null;
        if (watermark) {
          for (const tables of [live.tables, shadow.tables]) {
            while ((await projection.settlement.settle(tx, tables, watermark, { limit: 1000, skipLocked: false })) === 1000);
          }
        }
      }
      // The scratch quarantine has served; it goes before the swap renames what bears the suffix.
      await tx.query(`drop table ${shadow.quarantine}`);

      const liveSet = swapSet(projection, live);
      const shadowSet = swapSet(projection, shadow);
      const compared = await sequentially(liveSet, async ([name, liveTable], i) => {
        const stamps = projection.tables.find((t) => t.name === name)?.writeStampColumns ?? [];
        return { name, liveTable, shadowTable: shadowSet[i]![1], columns: stamps.length === 0 ? '*' : await comparedColumns(tx, liveTable, stamps) };
      });
      // The live copies are summed on a connection of their own, at the same time as the shadow
      // copies in this transaction (two backends, half the fence), where that reads what this
      // transaction reads: the live tables are locked against every other writer above, so only
      // this transaction's own writes (a settlement's) would be missing. PGlite has one connection,
      // and a pool with none free now would make this transaction wait on itself (nothing in the
      // CLI's process holds one: the rebuild runs alone there). The two connections print rows
      // with the same session settings; were they to differ (a time zone, bytea_output), the sums
      // would differ and the exact difference decide: slower, never wrong.
      const pool = deps.db.stats?.();
      const spare = pool?.kind === 'pool' && (pool.idleConnections > 0 || pool.openConnections < pool.maxConnections);
      const liveReader = projection.settlement || !spare ? tx : deps.db;
      const sums = (reader: Queryable, copy: 'liveTable' | 'shadowTable') => sequentially(compared, (t) => tableChecksum(reader, t[copy], t.columns));
      const [liveSums, shadowSums] = liveReader === tx ? [await sums(tx, 'liveTable'), await sums(tx, 'shadowTable')] : await Promise.all([sums(liveReader, 'liveTable'), sums(tx, 'shadowTable')]);
      const parity: TableParity[] = [];
      for (const [i, t] of compared.entries()) parity.push({ table: t.name, ...(await tableParity(tx, t, liveSums[i]!, shadowSums[i]!)) });
      const parityOk = parity.every((p) => p.missingInShadow === 0 && p.extraInShadow === 0);
      const swap = parityOk || options.acceptDifferences === true;
      const differing = parity.filter((p) => p.missingInShadow > 0 || p.extraInShadow > 0);
      log.info({ parityOk, tables: parity.length, differing }, parityOk ? 'rebuild parity holds' : 'rebuild parity differs');
      if (swap) await swapTables(tx, schema, liveSet.map((l) => l[0]), shadow.suffix);
      else for (const [, table] of shadowSet) await tx.query(`drop table ${table}`);
      // The live rows changed (swapped in, or settled above) with no checkpoint moving: count it.
      await countProjectionChange(tx, schema, projection.name);
      if (swap) log.info({ acceptedDifferences: !parityOk }, 'rebuild swapped the shadow tables into place (on commit)');
      else log.warn({ differing: differing.map((p) => p.table) }, 'rebuild left the live tables in place: parity differs (--accept-differences swaps anyway)');
      return { projection: projection.name, events, eventsFromLog, durationMs: Math.round(performance.now() - started), parity, parityOk, swapped: swap, quarantinedDuringReplay };
    });
  } catch (error) {
    log.error({ err: error }, 'rebuild failed; the shadow tables are dropped and the live ones left in place');
    for (const table of [...swapSet(projection, shadow).map((s) => s[1]), shadow.quarantine]) await deps.db.query(`drop table if exists ${table}`).catch(() => undefined);
    throw error;
  }
}

/** Memory for the parity check's exact difference, this transaction only (see tableParity). */
const PARITY_WORK_MEM = '256MB';

/**
 * A checksum of one copy of a table (its `columns`), for the parity check: the row count and the
 * sum of a 64-bit hash of every row's text, which does not depend on the rows' order. Unequal
 * copies have equal checksums by chance with a probability near 2^-64. The hash is of the whole
 * row, not a combination of its columns' hashes (as `hash_record_extended` is): a sum of those
 * would be blind to values swapped between rows. One scan of the copy: for 837,302 order lines,
 * both copies summed in 0.86 s where the exact difference (which hashes or sorts both) took 1.45 s.
 */
async function tableChecksum(db: Queryable, table: string, columns: string): Promise<{ rows: number; sum: string }> {
  const { rows } = await db.query<{ n: number; h: string }>(`select count(*)::int as n, coalesce(sum(hashtextextended(r::text, 0)), 0)::text as h from (select ${columns} from ${table}) r`);
  return { rows: rows[0]!.n, sum: rows[0]!.h };
}

/**
 * Parity of one table from its copies' checksums, in the swap transaction (which holds the live
 * projector's fence: its time is the live projector's pause). Equal checksums are parity. Only
 * when they differ does the exact multiset difference run and count what differs: the rows' text
 * is stricter than their equality (`1.5` and `1.50` as an unconstrained numeric), so the
 * difference, not the checksum, decides.
 */
async function tableParity(tx: Queryable, t: { liveTable: string; shadowTable: string; columns: string }, live: { rows: number; sum: string }, shadow: { rows: number; sum: string }): Promise<Omit<TableParity, 'table'>> {
  if (live.rows === shadow.rows && live.sum === shadow.sum) return { liveRows: live.rows, shadowRows: shadow.rows, missingInShadow: 0, extraInShadow: 0 };
  // The difference hashes both copies when they fit in work_mem, else sorts them on disk: at
  // the default 4 MB a million event ids took 3.1 s sorted, 0.9 s hashed. The planner hashes only
  // what it estimates fits (a hashed set operation cannot spill to disk in PostgreSQL 15), from
  // the sizes of the relations the replay has just written.
  await tx.query(`set local work_mem = '${PARITY_WORK_MEM}'`);
  // One multiset difference, not two: live rows not matched in the shadow (`except all`) are
  // live − matched, so the shadow's unmatched are shadow − matched = shadow − live + missing.
  const { rows } = await tx.query<{ missing: number }>(`select count(*)::int as missing from (select ${t.columns} from ${t.liveTable} except all select ${t.columns} from ${t.shadowTable}) d`);
  const missing = rows[0]!.missing;
  return { liveRows: live.rows, shadowRows: shadow.rows, missingInShadow: missing, extraInShadow: shadow.rows - (live.rows - missing) };
}

/** Runs `work` over `items` one at a time, in order (statements on one connection queue anyway). */
async function sequentially<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const [i, item] of items.entries()) out.push(await work(item, i));
  return out;
}

/** The table's columns but its write stamps, quoted and in table order, for the parity check. */
async function comparedColumns(db: Queryable, table: string, stamps: readonly string[]): Promise<string> {
  const { rows } = await db.query<{ columns: string | null }>(
    `select string_agg(quote_ident(attname), ', ' order by attnum) as columns from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped and not (attname::text = any($2::text[]))`,
    [table, stamps],
  );
  const columns = rows[0]?.columns;
  if (!columns) throw new PlatformError(PlatformErrorCode.ProjectionConflict, `Table ${table} has no column left to compare once its write stamps (${stamps.join(', ')}) are set aside.`);
  return columns;
}

async function readCheckpoints(db: Queryable, table: string, projection: string, lock = false) {
  const { rows } = await db.query<{ topic: string; partition: number; next_offset: string }>(`select topic, partition, next_offset from ${table} where projection = $1 order by topic, partition${lock ? ' for update' : ''}`, [projection]);
  return rows.map((r) => ({ topic: r.topic, partition: r.partition, nextOffset: Number(r.next_offset) }));
}

/** Renames shadow → live inside the caller's transaction, and gives the indexes their live names back. */
async function swapTables(tx: Queryable, schema: string, liveNames: string[], suffix: string): Promise<void> {
  const s = quoteIdent(schema);
  for (const name of liveNames) {
    await tx.query(`alter table ${s}.${quoteIdent(name)} rename to ${quoteIdent(`${name}__old${suffix}`)}`);
    await tx.query(`alter table ${s}.${quoteIdent(`${name}${suffix}`)} rename to ${quoteIdent(name)}`);
    await tx.query(`drop table ${s}.${quoteIdent(`${name}__old${suffix}`)}`);
  }
  const { rows } = await tx.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = $1 and position($2 in indexname) > 0`, [schema, suffix]);
  for (const { indexname } of rows) {
    await tx.query(`alter index ${s}.${quoteIdent(indexname)} rename to ${quoteIdent(indexname.replace(suffix, ''))}`);
  }
}
