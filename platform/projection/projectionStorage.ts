import type { Queryable } from '../database/index.js';
import { quoteIdent } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { Projection, TableNames } from './Projection.js';
import { QuarantineReasonCode } from './Projection.js';
import { createRawEvidence, rawEvidenceTables } from './rawEvidence.js';

/**
 * Where a projection lives in Postgres. Context-wide tables (raw evidence, checkpoints and
 * watermarks, quarantine) are shared by the context's projections. The projection's own tables
 * and its engine state (positions, seen event ids, parked events, translator state) form the
 * "swap set": everything derived from the log, which a rebuild recreates under `suffix`.
 */
export interface ProjectionStorage {
  schema: string;
  /** The raw evidence, one row per record (a view over `rawBatches`; see rawEvidence). */
  raw: string;
  /** The raw evidence as stored: one row per applied partition batch. */
  rawBatches: string;
  checkpoints: string;
  quarantine: string;
  engine: { positions: string; eventIds: string; parked: string; translatorState: string };
  tables: TableNames;
  suffix: string;
}

/** The context-wide tables, qualified: shared by all of a context's projections. */
export function contextTables(schema: string): Pick<ProjectionStorage, 'raw' | 'rawBatches' | 'checkpoints' | 'quarantine'> & { settlements: string; changes: string } {
  const q = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const evidence = rawEvidenceTables(schema);
  return { raw: evidence.records, rawBatches: evidence.batches, checkpoints: q('projection_checkpoints'), quarantine: q('quarantine'), settlements: q('settlements'), changes: q('projection_changes') };
}

/**
 * Counts a change to a projection's rows made outside a partition batch (a re-drive by hand, a
 * settlement, a rebuild's swap), in the caller's transaction, so it commits with the change.
 * Batches need no count: each moves its partition's checkpoint (`next_offset`). Together they
 * are a version that moves on every applied change (readWatermarks returns both), which is what
 * the gateway's response cache is keyed by.
 */
export async function countProjectionChange(tx: Queryable, schema: string, projectionName: string): Promise<void> {
  const { changes } = contextTables(schema);
  await tx.query(`insert into ${changes} (projection, change_seq) values ($1, 1) on conflict (projection) do update set change_seq = ${changes}.change_seq + 1`, [projectionName]);
}

/** A projection's engine-state tables, qualified, for the live copy or a shadow (`suffix`). */
export function engineTables(schema: string, projectionName: string, suffix = ''): ProjectionStorage['engine'] {
  const own = (name: string) => `${quoteIdent(schema)}.${quoteIdent(`${projectionName}__${name}${suffix}`)}`;
  return { positions: own('positions'), eventIds: own('event_ids'), parked: own('parked'), translatorState: own('translator_state') };
}

export function projectionStorage<E extends EventEnvelope, S>(schema: string, projection: Projection<E, S>, suffix = ''): ProjectionStorage {
  const own = (name: string) => `${quoteIdent(schema)}.${quoteIdent(`${name}${suffix}`)}`;
  return {
    schema,
    ...contextTables(schema),
    engine: engineTables(schema, projection.name, suffix),
    tables: Object.fromEntries(projection.tables.map((t) => [t.name, own(t.name)])),
    suffix,
  };
}

/**
 * A rebuild's storage: the swap set under `suffix`, and a scratch quarantine of its own. The
 * engine reads gap-expired entries back from the quarantine (they apply when their gap fills), so
 * a replay needs one; the live quarantine is the operators' record, and a rebuild leaves it alone.
 * The scratch quarantine is not part of the swap set: the rebuild drops it before it swaps.
 */
export function shadowStorage<E extends EventEnvelope, S>(schema: string, projection: Projection<E, S>, suffix: string): ProjectionStorage {
  return { ...projectionStorage(schema, projection, suffix), quarantine: `${quoteIdent(schema)}.${quoteIdent(`quarantine${suffix}`)}` };
}

/** Every table of the swap set, as [bare name, qualified name]. */
export function swapSet<E extends EventEnvelope, S>(projection: Projection<E, S>, storage: ProjectionStorage): Array<[string, string]> {
  const bare = [`${projection.name}__positions`, `${projection.name}__event_ids`, `${projection.name}__parked`, `${projection.name}__translator_state`, ...projection.tables.map((t) => t.name)];
  const qualified = [storage.engine.positions, storage.engine.eventIds, storage.engine.parked, storage.engine.translatorState, ...projection.tables.map((t) => storage.tables[t.name]!)];
  return bare.map((name, i) => [`${name}${storage.suffix}`, qualified[i]!]);
}

export async function createContextTables(db: Queryable, schema: string): Promise<void> {
  const { checkpoints, quarantine, settlements, changes } = contextTables(schema);
  await db.query(`create schema if not exists ${quoteIdent(schema)}`);
  // Raw evidence: every consumed record as received, written in the transaction of its effects.
  await createRawEvidence(db, schema);
  // One row per projection and partition: the resume point and the watermark in one place.
  await db.query(`create table if not exists ${checkpoints} (
    projection text not null, topic text not null, partition int not null,
    next_offset bigint not null default 0, log_end_offset bigint not null default 0,
    max_event_time timestamptz, last_applied_at timestamptz,
    applied_count bigint not null default 0, duplicate_count bigint not null default 0,
    parked_count bigint not null default 0, quarantined_count bigint not null default 0,
    ignored_count bigint not null default 0,
    primary key (projection, topic, partition))`);
  await createQuarantineTable(db, quarantine);
  // Per projection that settles on event time: the watermark it last settled at (never lowered).
  await db.query(`create table if not exists ${settlements} (projection text primary key, watermark timestamptz, settled_at timestamptz not null)`);
  // Per projection: changes made outside partition batches (see countProjectionChange).
  await db.query(`create table if not exists ${changes} (projection text primary key, change_seq bigint not null default 0)`);
  await db.query(`create index if not exists quarantine_open_idx on ${quarantine} (projection, quarantine_state, quarantine_id)`);
  // What every batch asks: the open gap-expired entries of its aggregates (they apply when their gap fills).
  await db.query(`create index if not exists quarantine_gap_expired_idx on ${quarantine} (projection, (event->>'aggregateId'))
    where quarantine_state = 'open' and reason_code = '${QuarantineReasonCode.SequenceGapExpired}'`);
}

/**
 * The quarantine: one row per record or event set aside, with its reason and original bytes.
 * `redriven` once re-driven, by an operator (`redrive_outcome` says what happened) or by the
 * engine itself (an outcome ending in `-automatically`: a gap-expired event whose gap filled).
 */
export async function createQuarantineTable(db: Queryable, qualifiedName: string): Promise<void> {
  await db.query(`create table if not exists ${qualifiedName} (
    quarantine_id bigserial primary key, projection text not null,
    topic text not null, partition int not null, record_offset bigint not null,
    record_key bytea, record_value bytea, event jsonb,
    reason_code text not null, reason text not null,
    quarantined_at timestamptz not null default now(),
    quarantine_state text not null default 'open' check (quarantine_state in ('open', 'redriven')),
    redriven_at timestamptz, redrive_outcome text)`);
}

export async function createSwapSetTables<E extends EventEnvelope, S>(db: Queryable, projection: Projection<E, S>, storage: ProjectionStorage): Promise<void> {
  const { engine } = storage;
  await db.query(`create table if not exists ${engine.positions} (aggregate_id text primary key, last_sequence int not null)`);
  await db.query(`create table if not exists ${engine.eventIds} (event_id text primary key)`);
  await db.query(`create table if not exists ${engine.parked} (
    aggregate_id text not null, sequence int not null, event_id text not null, event jsonb not null,
    topic text not null, partition int not null, record_offset bigint not null,
    record_key bytea, record_value bytea,
    primary key (aggregate_id, sequence))`);
  await db.query(`create index if not exists ${quoteIdent(`${projection.name}__parked${storage.suffix}_expiry`)} on ${engine.parked} (topic, partition, record_offset)`);
  await db.query(`create table if not exists ${engine.translatorState} (topic text not null, state_key text not null, state jsonb not null, primary key (topic, state_key))`);
  for (const table of projection.tables) {
    for (const statement of table.ddl(storage.tables[table.name]!, `${table.name}${storage.suffix}`)) await db.query(statement);
  }
}
