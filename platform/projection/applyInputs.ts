import type { Queryable } from '../database/index.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { LogRecord } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import { expireParked, loadBatchState, saveBatchState } from './batchState.js';
import { decodeInputs } from './decodeInputs.js';
import { orderPerAggregate } from './orderPerAggregate.js';
import type { Projection, Rejection } from './Projection.js';
import type { ProjectionStorage } from './projectionStorage.js';
import type { Provenance } from './Provenance.js';
import type { AutomaticRedriveOutcome } from './quarantineOperations.js';
import type { TopicDecoder } from './TopicDecoder.js';
import { writeQuarantine } from './writeQuarantine.js';

/** A log record to decode, or an already-decoded event (re-drive of an event-level quarantine). */
export type Input<E> = { kind: 'record'; record: LogRecord } | { kind: 'event'; event: E; provenance: Provenance };

/** A decoded event on its way through ordering, with where it came from. */
export interface Candidate<E> {
  event: E;
  provenance: Provenance;
}

export interface QuarantineEntry {
  provenance: Provenance;
  event: unknown;
  rejection: Rejection;
  /**
   * Set when the engine re-drove the entry itself within the batch that quarantined it: a
   * gap-expired event whose missing predecessor arrived later in the same batch. Written as a
   * `redriven` entry with this outcome. Absent: the entry is written `open`.
   */
  automaticOutcome?: AutomaticRedriveOutcome;
}

/**
 * How the engine runs: `live` writes quarantine entries and expires parked events; `rebuild`
 * writes only into the rebuild's own storage (its shadow tables and scratch quarantine), so it
 * has no side effects; `redrive` re-applies quarantined input and writes new quarantine entries,
 * but expires nothing. In every mode, an event that advances its aggregate is followed by what
 * waited for it: parked events, and gap-expired quarantine entries (applied automatically).
 */
export type ApplyMode = 'live' | 'rebuild' | 'redrive';

export interface ApplyCounts {
  /** Events evolved into the projection, those applied automatically from quarantine included. */
  applied: number;
  duplicates: number;
  parked: number;
  unparked: number;
  /** Gap-expired quarantine entries re-driven automatically when their gap filled (in `applied` unless the projection rejected them). */
  recovered: number;
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

/**
 * The heart of the projection engine, run inside the caller's transaction, in named stages:
 * decode, load the batch's engine state, order per aggregate and evolve (in memory), write
 * back set-based, expire what waited too long, and write the quarantine. Bad input becomes a
 * quarantine entry; nothing here throws for a bad record, so one record can never stop a partition.
 */
export async function applyInputs<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, inputs: readonly Input<E>[], options: ApplyOptions): Promise<ApplyCounts> {
  if (options.mode === 'rebuild' && plan.storage.suffix === '') {
    throw new PlatformError(PlatformErrorCode.ProjectionConflict, `A rebuild of ${plan.projection.name} must write into shadow storage (a non-empty suffix), not the live tables ${plan.storage.schema}.*: a rebuild has no side effects.`);
  }
  const counts: ApplyCounts = { applied: 0, duplicates: 0, parked: 0, unparked: 0, recovered: 0, ignored: 0, quarantined: [], maxEventTime: null };

  // 1. Decode. Stateful decoders (CDC) get their stored state per key, and give it back.
  const candidates = await decodeInputs(tx, plan, inputs, counts);
  // 2. Load what ordering and evolution need for the batch's aggregates, one statement per table.
  const state = await loadBatchState(tx, plan, candidates);
  // 3. Order per aggregate and evolve, in memory.
  orderPerAggregate(plan.projection, state, candidates, counts, options.mode === 'redrive' ? undefined : options.expiry?.gapBound);
  // 4. Write back, set-based.
  await saveBatchState(tx, plan, state);
  // 5. Events parked longer than the bound (counted in offsets of their partition) give up waiting.
  if (options.expiry && options.mode !== 'redrive') await expireParked(tx, plan.storage, options.expiry, state.positions, counts);
  // 6. Quarantine: new entries, and the stored ones this batch re-drove automatically.
  await writeQuarantine(tx, plan.storage, plan.projection.name, counts.quarantined, state.recovered);
  return counts;
}
