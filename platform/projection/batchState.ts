import type { Queryable } from '../database/index.js';
import { arrayParam, insertRows } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, ApplyOptions, ApplyPlan, Candidate, QuarantineEntry } from './applyInputs.js';
import type { Rejection } from './Projection.js';
import { QuarantineReasonCode } from './Projection.js';
import type { ProjectionStorage } from './projectionStorage.js';
import type { ProvenanceRow } from './Provenance.js';
import { PROVENANCE_COLUMNS, provenanceFromRow } from './Provenance.js';
import type { AutomaticRedriveOutcome } from './quarantineOperations.js';

/** An event waiting for its aggregate's next sequence. `stored`: an earlier batch parked it (a row to delete when it leaves). */
export interface ParkedEvent<E> extends Candidate<E> {
  stored: boolean;
}

/**
 * An open gap-expired quarantine entry: an event that gave up waiting, kept to apply when the
 * sequence it waited for arrives. `stored` by an earlier batch (resolved by its id), or `new`:
 * quarantined by this batch, and written at its end with whatever became of it.
 */
export type GapExpiredEvent<E> = Candidate<E> & ({ kind: 'stored'; quarantineId: number } | { kind: 'new'; entry: QuarantineEntry });

/**
 * The engine state of the aggregates a batch touches: loaded once (stage 2), changed in memory
 * by ordering (stage 3), written back once (stage 4).
 */
export interface BatchState<E, S> {
  /** Last applied sequence per aggregate; an aggregate with none is absent. */
  positions: Map<string, number>;
  /** Event ids already applied, among those this batch may apply. */
  known: Set<string>;
  /**
   * As loaded, unchanged by ordering: the aggregates with a stored position, and the event ids
   * stored as applied (of every event this batch may apply: candidates, parked, gap-expired).
   * What is not among them has no row yet: the write-back copies it in, no upsert needed.
   */
  stored: { aggregates: ReadonlySet<string>; eventIds: ReadonlySet<string> };
  states: Map<string, S>;
  /** Per aggregate, sequence → the event parked for it. */
  parked: Map<string, Map<number, ParkedEvent<E>>>;
  /** Per aggregate, its open gap-expired entries, oldest first. */
  gapExpired: Map<string, GapExpiredEvent<E>[]>;

  // What changed, for the write-back:
  changed: Map<string, S>;
  moved: Set<string>;
  newEventIds: string[];
  /** Stored parked rows that left the parking (applied, expired, or found a duplicate), as [aggregate, sequence]. */
  unparked: Array<[string, number]>;
  /** Stored quarantine entries this batch re-drove automatically, with what became of each. */
  recovered: Array<{ quarantineId: number; outcome: AutomaticRedriveOutcome }>;
}

type ParkedRow<E> = ProvenanceRow & { aggregate_id: string; sequence: number; event: E };
type GapExpiredRow<E> = ProvenanceRow & { quarantine_id: string; event: E };

/**
 * Stage 2: positions, parked events, open gap-expired entries, known event ids and projection
 * state of the batch's aggregates, one statement per table. The gap-expired entries are locked
 * (`for update`): another transaction re-driving one (by hand, or a batch of another topic)
 * waits, then finds it no longer open.
 */
export async function loadBatchState<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, candidates: readonly Candidate<E>[]): Promise<BatchState<E, S>> {
  const { projection, storage } = plan;
  // Typed array parameters travel in binary (see ArrayParam): thousands of ids per batch.
  const aggregateIds = arrayParam('text', [...new Set(candidates.map((c) => c.event.aggregateId))]);
  // Sequential on purpose: a transaction is one connection, and queries on it queue anyway.
  const positionRows = await tx.query<{ aggregate_id: string; last_sequence: number }>(`select aggregate_id, last_sequence from ${storage.engine.positions} where aggregate_id = any($1::text[])`, [aggregateIds]);
  const parkedRows = await tx.query<ParkedRow<E>>(`select aggregate_id, sequence, event, ${PROVENANCE_COLUMNS} from ${storage.engine.parked} where aggregate_id = any($1::text[])`, [aggregateIds]);
  // The predicate repeats the partial index's (quarantine_gap_expired_idx) word for word, so the index serves it.
  const gapExpiredRows = await tx.query<GapExpiredRow<E>>(
    `select quarantine_id, event, ${PROVENANCE_COLUMNS} from ${storage.quarantine}
     where projection = $1 and quarantine_state = 'open' and reason_code = '${QuarantineReasonCode.SequenceGapExpired}' and (event->>'aggregateId') = any($2::text[])
     order by quarantine_id for update`,
    [projection.name, aggregateIds],
  );
  // Parked events' ids too: every id this batch may apply is looked up, so the write-back knows
  // which are stored (see BatchState.stored).
  const eventIds = [...candidates.map((c) => c.event.eventId), ...parkedRows.rows.map((r) => r.event.eventId), ...gapExpiredRows.rows.map((r) => r.event.eventId)];
  const knownRows = await tx.query<{ event_id: string }>(`select event_id from ${storage.engine.eventIds} where event_id = any($1::text[])`, [arrayParam('text', eventIds)]);

  const positions = new Map(positionRows.rows.map((r) => [r.aggregate_id, r.last_sequence]));
  const parked = new Map<string, Map<number, ParkedEvent<E>>>();
  for (const row of parkedRows.rows) getOrCreate(parked, row.aggregate_id, () => new Map()).set(row.sequence, { event: row.event, provenance: provenanceFromRow(row), stored: true });
  const gapExpired = new Map<string, GapExpiredEvent<E>[]>();
  for (const row of gapExpiredRows.rows) getOrCreate(gapExpired, row.event.aggregateId, () => []).push({ kind: 'stored', quarantineId: Number(row.quarantine_id), event: row.event, provenance: provenanceFromRow(row) });

  // Only aggregates with an applied event have state to load; the rest start from nothing. The
  // projection is told every event this batch may apply to each, so it can skip untouched tables.
  const withState = new Map<string, E[]>();
  for (const event of [...candidates.map((c) => c.event), ...parkedRows.rows.map((r) => r.event), ...gapExpiredRows.rows.map((r) => r.event)]) {
    if (positions.has(event.aggregateId)) getOrCreate(withState, event.aggregateId, () => []).push(event);
  }
  const states = withState.size > 0 ? await projection.load(tx, storage.tables, withState) : new Map<string, S>();

  return createBatchState({ positions, known: new Set(knownRows.rows.map((r) => r.event_id)), states, parked, gapExpired });
}

/** A batch state as loaded, nothing changed yet. */
export function createBatchState<E, S>(loaded: Pick<BatchState<E, S>, 'positions' | 'known' | 'states' | 'parked' | 'gapExpired'>): BatchState<E, S> {
  const stored = { aggregates: new Set(loaded.positions.keys()), eventIds: new Set(loaded.known) };
  return { ...loaded, stored, changed: new Map(), moved: new Set(), newEventIds: [], unparked: [], recovered: [] };
}

/**
 * Stage 4: projection rows, positions, applied event ids and parked events, set-based. Rows the
 * batch state shows are new (`stored`) are not upserted but copied in (binary COPY): an `on
 * conflict` insert cost the server about 40% more per row (speculative insertion), and COPY
 * about 20% less than a plain insert from `unnest` (rows go to the heap in batches). An aggregate's rows are written by its
 * partition's batches, one at a time under the checkpoint lock; should another transaction (a
 * re-drive by hand racing a batch) insert one of these rows meanwhile, the insert fails and its
 * transaction rolls back, to be retried on what is then stored, where `on conflict` let both
 * transactions apply the event.
 */
export async function saveBatchState<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, state: BatchState<E, S>): Promise<void> {
  const { projection, storage } = plan;
  await projection.save(tx, storage.tables, state.changed);
  const moved = [...state.moved];
  const placed = moved.filter((id) => !state.stored.aggregates.has(id));
  const advanced = moved.filter((id) => state.stored.aggregates.has(id));
  await insertRows(tx, storage.engine.positions, [['aggregate_id', 'text'], ['last_sequence', 'int4']], placed.map((id) => [id, state.positions.get(id)!]));
  if (advanced.length > 0) {
    await tx.query(
      `insert into ${storage.engine.positions} (aggregate_id, last_sequence) select * from unnest($1::text[], $2::int[])
       on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence`,
      [arrayParam('text', advanced), arrayParam('int4', advanced.map((id) => state.positions.get(id)!))],
    );
  }
  // Once each, and only those not stored: a parked event applies without a look at `known`
  // (it was checked when it parked), so an id could come twice from a misbehaving producer.
  const newEventIds = [...new Set(state.newEventIds)].filter((id) => !state.stored.eventIds.has(id));
  await insertRows(tx, storage.engine.eventIds, [['event_id', 'text']], newEventIds.map((id) => [id]));
  if (state.unparked.length > 0) {
    await tx.query(`delete from ${storage.engine.parked} p using unnest($1::text[], $2::int[]) d(aggregate_id, sequence) where p.aggregate_id = d.aggregate_id and p.sequence = d.sequence`, [arrayParam('text', state.unparked.map((d) => d[0])), arrayParam('int4', state.unparked.map((d) => d[1]))]);
  }
  const fresh = [...state.parked.values()].flatMap((m) => [...m.values()].filter((c) => !c.stored));
  if (fresh.length > 0) {
    await tx.query(
      `insert into ${storage.engine.parked} (aggregate_id, sequence, event_id, event, topic, partition, record_offset, record_key, record_value)
       select * from unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::int[], $7::int8[], $8::bytea[], $9::bytea[])`,
      [
        arrayParam('text', fresh.map((c) => c.event.aggregateId)),
        arrayParam('int4', fresh.map((c) => c.event.sequence)),
        arrayParam('text', fresh.map((c) => c.event.eventId)),
        arrayParam('jsonb', fresh.map((c) => JSON.stringify(c.event))),
        arrayParam('text', fresh.map((c) => c.provenance.topic)),
        arrayParam('int4', fresh.map((c) => c.provenance.partition)),
        arrayParam('int8', fresh.map((c) => c.provenance.offset)),
        arrayParam('bytea', fresh.map((c) => c.provenance.key)),
        arrayParam('bytea', fresh.map((c) => c.provenance.value)),
      ],
    );
  }
}

/**
 * Stage 5: events of this partition still parked and past the bound at the batch's last offset
 * give up waiting and become quarantine entries (ordering expired those it met record by record,
 * by the same rule). Nothing later in the batch can fill their gap, so they are written open.
 */
export async function expireParked(tx: Queryable, storage: ProjectionStorage, expiry: NonNullable<ApplyOptions['expiry']>, positions: ReadonlyMap<string, number>, counts: ApplyCounts): Promise<void> {
  const { topic, partition, lastOffset, gapBound } = expiry;
  // The aggregate's real position is read with the expired rows: `positions` holds only the
  // aggregates this batch touched, and the reason must not depend on batch boundaries.
  const expired = await tx.query<ParkedRow<EventEnvelope> & { last_sequence: number | null }>(
    `delete from ${storage.engine.parked} p where topic = $1 and partition = $2 and record_offset < $3
     returning aggregate_id, sequence, event, ${PROVENANCE_COLUMNS},
       (select last_sequence from ${storage.engine.positions} pos where pos.aggregate_id = p.aggregate_id) as last_sequence`,
    [topic, partition, lastOffset - gapBound],
  );
  for (const row of expired.rows) {
    counts.quarantined.push({ provenance: provenanceFromRow(row), event: row.event, rejection: gapExpired(row.event, positions.get(row.aggregate_id) ?? row.last_sequence ?? 0, gapBound) });
  }
}

/** Why an event that waited past the bound is quarantined: what it waits for, and what happens next. */
export function gapExpired(event: EventEnvelope, position: number, gapBound: number): Rejection {
  return {
    code: QuarantineReasonCode.SequenceGapExpired,
    reason: `${event.type} #${event.sequence} of ${event.aggregateId} waited ${gapBound} records for sequence ${position + 1} (last applied: ${position}); it applies automatically, in order, once the missing events arrive`,
  };
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}
