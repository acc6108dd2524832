import type { Queryable } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';

/** Why a record or event went to quarantine. Stable codes: operators filter and alert on them. */
export const QuarantineReasonCode = {
  MalformedJson: 'MALFORMED_JSON',
  InvalidEnvelope: 'INVALID_ENVELOPE',
  KeyMismatch: 'KEY_MISMATCH',
  UnknownEventType: 'UNKNOWN_EVENT_TYPE',
  InvalidPayload: 'INVALID_PAYLOAD',
  Untranslatable: 'UNTRANSLATABLE',
  ImpossibleTransition: 'IMPOSSIBLE_TRANSITION',
  SequenceGapExpired: 'SEQUENCE_GAP_EXPIRED',
} as const;
export type QuarantineReasonCode = (typeof QuarantineReasonCode)[keyof typeof QuarantineReasonCode];

export interface Rejection {
  code: QuarantineReasonCode;
  /** Restates the rule and shows what was received. */
  reason: string;
}

/** What `evolve` returns: the next state, or why the event cannot apply (it is quarantined). */
export type Evolution<S> = { state: S } | { rejection: Rejection };

/** A projection table: its DDL is a function of its name so the engine can build shadow copies. */
export interface ProjectionTable {
  name: string;
  /**
   * Statements creating the table and its indexes under the qualified name given. Name indexes
   * `${bareName}_<purpose>`: a rebuild creates them under the shadow's name and renames them back.
   */
  ddl(qualifiedName: string, bareName: string): string[];
  /**
   * Columns that record when a row was written (a change feed's transaction id), not what it
   * holds. A rebuild writes every row anew, so these differ by design and its parity check
   * compares the other columns only. Default none: every column must match.
   */
  writeStampColumns?: readonly string[];
}

/** Logical table name → qualified name of the copy in use (live or shadow). */
export type TableNames = Readonly<Record<string, string>>;

/**
 * A read model, kept together (Emmett's slice): its tables, how an event evolves an aggregate's
 * rows, and set-based load/save. `evolve` is pure and must not read the clock: a rebuild has to
 * reach exactly the same rows.
 */
export interface Projection<E extends EventEnvelope, S> {
  /** Also names the consumer group and the checkpoints. */
  name: string;
  tables: ProjectionTable[];
  /**
   * Loads the current state of aggregates that have one (the engine knows from its positions),
   * given this batch's events for each, so a projection can skip tables those events never touch.
   * One statement per table at most.
   */
  load(db: Queryable, tables: TableNames, aggregates: ReadonlyMap<string, readonly E[]>): Promise<Map<string, S>>;
  /** `origin`: where the event was read (a projection that cites its evidence keeps it; most ignore it). */
  evolve(state: S | undefined, event: E, origin: EventOrigin): Evolution<S>;
  /** Writes the changed states back, set-based (one statement per table, not per row). */
  save(db: Queryable, tables: TableNames, states: ReadonlyMap<string, S>): Promise<void>;
  /**
   * For a projection whose rows depend on event time passing as well as on events (a deadline:
   * "no capture 24 h after dispatch"). The engine settles it after its batches commit, at the
   * context's event-time watermark; see `settleProjection`.
   */
  settlement?: ProjectionSettlement;
}

/** The log position an event was read at: what evidence cites. */
export interface EventOrigin {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Decides, for the aggregates that need it, what the passing of event time decides. Must be a
 * pure function of the projection's rows and the watermark (no clock), and idempotent: a
 * rebuild settles its shadow tables at the live watermark and must reach the same rows.
 */
export interface ProjectionSettlement {
  /**
   * Settles at most `limit` aggregates that are due at `watermark` (changed since they were last
   * settled, or with a decision at or before it), in the caller's transaction, and returns how
   * many it settled; the engine calls again while the answer equals `limit`. `skipLocked`: leave
   * aggregates another settler holds (the live loop); false waits for them (a rebuild's swap).
   */
  settle(tx: Queryable, tables: TableNames, watermark: Date, options: { limit: number; skipLocked: boolean }): Promise<number>;
}
