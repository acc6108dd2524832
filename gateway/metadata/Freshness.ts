import type { FreshnessBinding } from '../contracts/index.js';

export type FreshnessStatus = 'FRESH' | 'STALE' | 'UNKNOWN';

/**
 * The terms a freshness is judged by: a contract's `@contract` freshness arguments (a
 * `ContractMeta` is one). A bare number is an SLA in seconds on the processing lag.
 */
export interface FreshnessTerms {
  freshnessSlaSeconds: number;
  /** Default PROCESSING_LAG. */
  freshnessBinds?: FreshnessBinding;
  /** With DATA_AGE: the greatest data age, in seconds, still FRESH. */
  maxSourceSilenceSeconds?: number | null;
}

/** One source stream (topic) behind a projection: the newest fact applied from it. */
export interface FreshnessSource {
  topic: string;
  /** Greatest event time applied from this topic, ISO, or null before any. */
  newestEventTime: string | null;
  /** Now minus newestEventTime (0 when that is in the future), or null before any event. */
  silentForMs: number | null;
}

/** How fresh one projection is now, measured from its watermarks, never guessed; no SLA applied yet. */
export interface FreshnessMeasure {
  projection: string;
  /** When this was measured (the clock freshness is judged by), ISO. */
  measuredAt: string;
  /** Greatest event time applied (business time the data reflects), ISO, or null before any event. */
  asOfEventTime: string | null;
  /** When the projector last committed (processing time), ISO, or null. */
  lastAppliedAt: string | null;
  /** Records in the log not yet applied, summed over partitions and topics. */
  lagEvents: number;
  /** Processing lag: 0 when caught up; else how long the oldest lagging partition has gone without applying. */
  lagMs: number;
  /** Data age: now minus asOfEventTime (0 when that is in the future), or null before any event. */
  dataAgeMs: number | null;
  /** Per topic the projection reads: its newest fact. */
  sources: FreshnessSource[];
  /** Why nothing could be measured (the watermarks could not be read); absent otherwise. */
  unavailable?: string;
}

/** A contract's verdict on a measure. */
export interface FreshnessVerdict {
  slaSeconds: number;
  binds: FreshnessBinding;
  /** With DATA_AGE, the silence allowed; null with PROCESSING_LAG. */
  maxSourceSilenceSeconds: number | null;
  status: FreshnessStatus;
  /** Which bounds are exceeded when STALE (processing lag past the SLA, data age past the allowed silence); empty otherwise. */
  staleBecause: FreshnessBinding[];
}

/** A measure judged against a contract's terms. */
export type Freshness = FreshnessMeasure & FreshnessVerdict;

/** What a verdict is drawn from: a measure now, or a sample of one in the history. */
export type FreshnessBasis = Pick<FreshnessMeasure, 'lastAppliedAt' | 'lagEvents' | 'lagMs' | 'dataAgeMs' | 'unavailable'>;
