import type { Queryable } from '../database/index.js';
import type { LogRecord } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { Projection, Rejection } from './Projection.js';
import { QuarantineReasonCode } from './Projection.js';
import type { ProjectionStorage } from './projectionStorage.js';
import type { DecodeResult, TopicDecoder } from './TopicDecoder.js';

/** Where a record came from in the log. */
export interface Provenance {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** A log record to decode, or an already-decoded event (re-drive of an event-level quarantine). */
export type Input<E> = { kind: 'record'; record: LogRecord } | { kind: 'event'; event: E; provenance: Provenance };

export interface QuarantineEntry {
  provenance: Provenance;
  event: unknown;
  rejection: Rejection;
}

/**
 * How the engine runs: `live` writes quarantine entries and expires parked events; `rebuild`
 * has no side effects outside the shadow tables (quarantines are only counted); `redrive`
 * re-applies quarantined input and writes new quarantine entries, but expires nothing.
 */
export type ApplyMode = 'live' | 'rebuild' | 'redrive';

export interface ApplyCounts {
  applied: number;
  duplicates: number;
  parked: number;
  unparked: number;
  ignored: number;
  quarantined: QuarantineEntry[];
  /** Greatest event time among applied events, ISO string, or null. */
  maxEventTime: string | null;
}

export interface ApplyPlan<E extends EventEnvelope, S> {
  projection: Projection<E, S>;
  decoders: ReadonlyMap<string, TopicDecoder<E>>;
  storage: ProjectionStorage;
  /**
   * Whether this projection writes the raw evidence. A context's projections share one
   * `raw_events` table; the first keeps it, in the transaction of its own effects.
   */
  keepsEvidence: boolean;
}

export interface ApplyOptions {
  mode: ApplyMode;
  /** For live and rebuild: the partition and the last offset of this batch, for gap expiry. */
  expiry?: { topic: string; partition: number; lastOffset: number; gapBound: number };
}

interface Candidate<E> {
  event: E;
  provenance: Provenance;
}

const hex = (b: Buffer | Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

function provenanceOf(record: LogRecord): Provenance {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value };
}

/**
 * The heart of the projection engine, run inside the caller's transaction: decode, drop
 * duplicates, order per aggregate (park events ahead of a gap, drain them when it fills),
 * evolve states, and write everything back set-based. Bad input becomes a quarantine entry;
 * nothing here throws for a bad record, so one record can never stop a partition.
 */
export async function applyInputs<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, inputs: readonly Input<E>[], options: ApplyOptions): Promise<ApplyCounts> {
  const { projection, storage } = plan;
  const counts: ApplyCounts = { applied: 0, duplicates: 0, parked: 0, unparked: 0, ignored: 0, quarantined: [], maxEventTime: null };

  // 1. Decode. Stateful decoders (CDC) get their stored state per key, and give it back.
  const candidates = await decodeAll(tx, plan, inputs, counts);

  // 2. Load what ordering and evolution need, one statement per table.
  const aggregateIds = [...new Set(candidates.map((c) => c.event.aggregateId))];
  const eventIds = candidates.map((c) => c.event.eventId);
  // Sequential on purpose: a transaction is one connection, and queries on it queue anyway.
  const positionRows = await tx.query<{ aggregate_id: string; last_sequence: number }>(`select aggregate_id, last_sequence from ${storage.engine.positions} where aggregate_id = any($1::text[])`, [aggregateIds]);
  const parkedRows = await tx.query<{ aggregate_id: string; sequence: number; event: E; topic: string; partition: number; record_offset: string; record_key: Uint8Array | null; record_value: Uint8Array | null }>(
    `select aggregate_id, sequence, event, topic, partition, record_offset, record_key, record_value from ${storage.engine.parked} where aggregate_id = any($1::text[])`,
    [aggregateIds],
  );
  const knownRows = await tx.query<{ event_id: string }>(`select event_id from ${storage.engine.eventIds} where event_id = any($1::text[])`, [eventIds]);
  const positions = new Map(positionRows.rows.map((r) => [r.aggregate_id, r.last_sequence]));
  // Only aggregates with an applied event have state to load; the rest start from nothing.
  const withState = new Map<string, E[]>();
  for (const { event } of candidates) {
    if (positions.has(event.aggregateId)) withState.set(event.aggregateId, [...(withState.get(event.aggregateId) ?? []), event]);
  }
  for (const row of parkedRows.rows) withState.get(row.aggregate_id)?.push(row.event);
  const states = withState.size > 0 ? await projection.load(tx, storage.tables, withState) : new Map<string, S>();
  const known = new Set(knownRows.rows.map((r) => r.event_id));
  const parked = new Map<string, Map<number, Candidate<E> & { stored: boolean }>>();
  const parkedOf = (id: string) => {
    let m = parked.get(id);
    if (!m) parked.set(id, (m = new Map()));
    return m;
  };
  for (const row of parkedRows.rows) {
    parkedOf(row.aggregate_id).set(row.sequence, {
      event: row.event,
      stored: true,
      provenance: { topic: row.topic, partition: row.partition, offset: Number(row.record_offset), key: row.record_key && Buffer.from(row.record_key), value: row.record_value && Buffer.from(row.record_value) },
    });
  }
  const drained: Array<[string, number]> = [];
  const newEventIds: string[] = [];
  const moved = new Set<string>();
  const changed = new Map<string, S>();

  const apply = (candidate: Candidate<E>) => {
    const { event } = candidate;
    known.add(event.eventId);
    newEventIds.push(event.eventId);
    positions.set(event.aggregateId, event.sequence);
    moved.add(event.aggregateId);
    const evolution = projection.evolve(states.get(event.aggregateId), event);
    if ('rejection' in evolution) {
      // The sequence slot is spent: later events of the aggregate must not wait on an impossible one.
      counts.quarantined.push({ provenance: candidate.provenance, event, rejection: evolution.rejection });
      return;
    }
    states.set(event.aggregateId, evolution.state);
    changed.set(event.aggregateId, evolution.state);
    counts.applied++;
    if (counts.maxEventTime === null || Date.parse(event.occurredAt) > Date.parse(counts.maxEventTime)) counts.maxEventTime = event.occurredAt;
  };

  // An event parked at offset p gives up once its partition reaches p + gapBound + 1. Checked per
  // record (not per batch) so the decision does not depend on where batches happen to end: a
  // rebuild that replays in other batch sizes decides exactly as the live run did. Aggregates
  // the batch does not touch are swept at its end (step 5), which is the same rule.
  const gapBound = options.mode === 'redrive' ? undefined : options.expiry?.gapBound;
  const expireWaiting = (aggregateId: string, atOffset: number) => {
    const waiting = parked.get(aggregateId);
    if (gapBound === undefined || !waiting) return;
    for (const [sequence, entry] of waiting) {
      if (entry.provenance.offset >= atOffset - gapBound) continue;
      waiting.delete(sequence);
      if (entry.stored) drained.push([aggregateId, sequence]);
      counts.quarantined.push({ provenance: entry.provenance, event: entry.event, rejection: gapExpired(entry.event, positions.get(aggregateId) ?? 0, gapBound) });
    }
  };

  // 3. Order per aggregate.
  for (const candidate of candidates) {
    const { event } = candidate;
    expireWaiting(event.aggregateId, candidate.provenance.offset);
    const position = positions.get(event.aggregateId) ?? 0;
    if (known.has(event.eventId) || event.sequence <= position) {
      counts.duplicates++;
      continue;
    }
    if (event.sequence > position + 1) {
      const waiting = parkedOf(event.aggregateId);
      if (waiting.has(event.sequence)) counts.duplicates++;
      else {
        waiting.set(event.sequence, { ...candidate, stored: false });
        counts.parked++;
      }
      continue;
    }
    apply(candidate);
    const waiting = parked.get(event.aggregateId);
    for (let next = event.sequence + 1; waiting?.has(next); next++) {
      const entry = waiting.get(next)!;
      waiting.delete(next);
      if (entry.stored) drained.push([event.aggregateId, next]);
      counts.unparked++;
      apply(entry);
    }
  }

  // 4. Write back, set-based.
  await projection.save(tx, storage.tables, changed);
  const positionEntries = [...moved];
  if (positionEntries.length > 0) {
    await tx.query(
      `insert into ${storage.engine.positions} (aggregate_id, last_sequence) select * from unnest($1::text[], $2::int[])
       on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence`,
      [positionEntries, positionEntries.map((id) => positions.get(id)!)],
    );
  }
  if (newEventIds.length > 0) {
    await tx.query(`insert into ${storage.engine.eventIds} (event_id) select unnest($1::text[]) on conflict do nothing`, [newEventIds]);
  }
  if (drained.length > 0) {
    await tx.query(`delete from ${storage.engine.parked} p using unnest($1::text[], $2::int[]) d(aggregate_id, sequence) where p.aggregate_id = d.aggregate_id and p.sequence = d.sequence`, [drained.map((d) => d[0]), drained.map((d) => d[1])]);
  }
  const fresh = [...parked.values()].flatMap((m) => [...m.values()].filter((c) => !c.stored));
  if (fresh.length > 0) {
    await tx.query(
      `insert into ${storage.engine.parked} (aggregate_id, sequence, event_id, event, topic, partition, record_offset, record_key, record_value)
       select a, s, i, e::jsonb, t, p, o, decode(k, 'hex'), decode(v, 'hex') from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int8[], $8::text[], $9::text[]) as x(a, s, i, e, t, p, o, k, v)`,
      [
        fresh.map((c) => c.event.aggregateId),
        fresh.map((c) => c.event.sequence),
        fresh.map((c) => c.event.eventId),
        fresh.map((c) => JSON.stringify(c.event)),
        fresh.map((c) => c.provenance.topic),
        fresh.map((c) => c.provenance.partition),
        fresh.map((c) => c.provenance.offset),
        fresh.map((c) => hex(c.provenance.key)),
        fresh.map((c) => hex(c.provenance.value)),
      ],
    );
  }

  // 5. Events parked longer than the bound (counted in offsets of their partition) give up waiting.
  if (options.expiry && options.mode !== 'redrive') {
    const { topic, partition, lastOffset, gapBound } = options.expiry;
    // The aggregate's real position is read with the expired rows: `positions` holds only the
    // aggregates this batch touched, and the reason must not depend on batch boundaries.
    const expired = await tx.query<{ aggregate_id: string; sequence: number; event: E; record_offset: string; record_key: Uint8Array | null; record_value: Uint8Array | null; last_sequence: number | null }>(
      `delete from ${storage.engine.parked} p where topic = $1 and partition = $2 and record_offset < $3
       returning aggregate_id, sequence, event, record_offset, record_key, record_value,
         (select last_sequence from ${storage.engine.positions} pos where pos.aggregate_id = p.aggregate_id) as last_sequence`,
      [topic, partition, lastOffset - gapBound],
    );
    for (const row of expired.rows) {
      counts.quarantined.push({
        provenance: { topic, partition, offset: Number(row.record_offset), key: row.record_key && Buffer.from(row.record_key), value: row.record_value && Buffer.from(row.record_value) },
        event: row.event,
        rejection: gapExpired(row.event, positions.get(row.aggregate_id) ?? row.last_sequence ?? 0, gapBound),
      });
    }
  }

  if (options.mode !== 'rebuild' && counts.quarantined.length > 0) await writeQuarantine(tx, storage, projection.name, counts.quarantined);
  return counts;
}

function gapExpired(event: EventEnvelope, position: number, gapBound: number): Rejection {
  return {
    code: QuarantineReasonCode.SequenceGapExpired,
    reason: `${event.type} #${event.sequence} of ${event.aggregateId} waited ${gapBound} records for sequence ${position + 1} (last applied: ${position}); re-drive it once the missing event has arrived`,
  };
}

async function decodeAll<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, inputs: readonly Input<E>[], counts: ApplyCounts): Promise<Candidate<E>[]> {
  const { decoders, storage } = plan;
  const stateKeys: Array<[string, string]> = [];
  for (const input of inputs) {
    if (input.kind !== 'record') continue;
    const decoder = decoders.get(input.record.topic);
    if (decoder?.kind === 'stateful') stateKeys.push([input.record.topic, decoder.stateKey(input.record)]);
  }
  const stateOf = new Map<string, unknown>();
  const dirty = new Set<string>();
  const mapKey = (topic: string, key: string) => `${topic}\u0000${key}`;
  if (stateKeys.length > 0) {
    const { rows } = await tx.query<{ topic: string; state_key: string; state: unknown }>(
      `select s.topic, s.state_key, s.state from ${storage.engine.translatorState} s join unnest($1::text[], $2::text[]) k(topic, state_key) using (topic, state_key)`,
      [stateKeys.map((k) => k[0]), stateKeys.map((k) => k[1])],
    );
    for (const row of rows) stateOf.set(mapKey(row.topic, row.state_key), row.state);
  }

  const candidates: Candidate<E>[] = [];
  for (const input of inputs) {
    if (input.kind === 'event') {
      candidates.push({ event: input.event, provenance: input.provenance });
      continue;
    }
    const { record } = input;
    const provenance = provenanceOf(record);
    const decoder = decoders.get(record.topic);
    let result: DecodeResult<E>;
    try {
      if (!decoder) result = { kind: 'ignored', reason: `no decoder for topic ${record.topic}` };
      else if (decoder.kind === 'stateless') result = decoder.decode(record);
      else {
        const key = mapKey(record.topic, decoder.stateKey(record));
        const decoded = decoder.decode(record, stateOf.get(key));
        stateOf.set(key, decoded.state);
        dirty.add(key);
        result = decoded.result;
      }
    } catch (error) {
      // A decoder bug must not block the partition either: keep the record and say why.
      result = { kind: 'rejected', rejection: { code: QuarantineReasonCode.Untranslatable, reason: `decoder failed: ${(error as Error).message}` } };
    }
    switch (result.kind) {
      case 'events':
        for (const event of result.events) candidates.push({ event, provenance });
        break;
      case 'ignored':
        counts.ignored++;
        break;
      case 'rejected':
        counts.quarantined.push({ provenance, event: null, rejection: result.rejection });
        break;
    }
  }

  const changedKeys = [...dirty].map((k) => k.split('\u0000') as [string, string]);
  const kept = changedKeys.filter(([t, k]) => stateOf.get(mapKey(t, k)) !== undefined);
  const dropped = changedKeys.filter(([t, k]) => stateOf.get(mapKey(t, k)) === undefined);
  if (kept.length > 0) {
    await tx.query(
      `insert into ${storage.engine.translatorState} (topic, state_key, state) select t, k, s::jsonb from unnest($1::text[], $2::text[], $3::text[]) x(t, k, s)
       on conflict (topic, state_key) do update set state = excluded.state`,
      [kept.map((k) => k[0]), kept.map((k) => k[1]), kept.map(([t, k]) => JSON.stringify(stateOf.get(mapKey(t, k))))],
    );
  }
  if (dropped.length > 0) {
    await tx.query(`delete from ${storage.engine.translatorState} s using unnest($1::text[], $2::text[]) d(topic, state_key) where s.topic = d.topic and s.state_key = d.state_key`, [dropped.map((k) => k[0]), dropped.map((k) => k[1])]);
  }
  return candidates;
}

async function writeQuarantine(tx: Queryable, storage: ProjectionStorage, projectionName: string, entries: QuarantineEntry[]): Promise<void> {
  await tx.query(
    `insert into ${storage.quarantine} (projection, topic, partition, record_offset, record_key, record_value, event, reason_code, reason)
     select $1, t, p, o, decode(k, 'hex'), decode(v, 'hex'), e::jsonb, c, r from unnest($2::text[], $3::int[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) x(t, p, o, k, v, e, c, r)`,
    [
      projectionName,
      entries.map((e) => e.provenance.topic),
      entries.map((e) => e.provenance.partition),
      entries.map((e) => e.provenance.offset),
      entries.map((e) => hex(e.provenance.key)),
      entries.map((e) => hex(e.provenance.value)),
      entries.map((e) => (e.event === null ? null : JSON.stringify(e.event))),
      entries.map((e) => e.rejection.code),
      entries.map((e) => e.rejection.reason),
    ],
  );
}
