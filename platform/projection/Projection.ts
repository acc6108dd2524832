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
  evolve(state: S | undefined, event: E): Evolution<S>;
  /** Writes the changed states back, set-based (one statement per table, not per row). */
  save(db: Queryable, tables: TableNames, states: ReadonlyMap<string, S>): Promise<void>;
}
