import type { EventEnvelope } from '../events/index.js';
import type { LogRecord } from '../eventLog/index.js';
import type { Rejection } from './Projection.js';

/** What a record becomes: domain events (zero or more), nothing on purpose, or a quarantine entry. */
export type DecodeResult<E> =
  | { kind: 'events'; events: E[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; rejection: Rejection };

/** What every decoder may declare about itself. */
interface DecoderTraits {
  /**
   * The decoder's promise that every string in its events (and state) is a whole string of the
   * record's key or value, decoded as UTF-8 (JSON.parse included), or of the state it was given,
   * or ASCII, or those joined (never cut: half a surrogate pair is unstorable). Then a record
   * whose bytes hold no NUL and no `\u` escape cannot lead to text PostgreSQL refuses, and the
   * engine skips walking its events and state for it. Default: walked. Checked for every
   * registered decoder that declares it by subgraphs/decoderProperties.unit.test.ts.
   */
  textFromRecord?: true;
}

/** Decodes and validates a topic whose records are self-contained (a domain-event topic). */
export interface StatelessDecoder<E extends EventEnvelope> extends DecoderTraits {
  kind: 'stateless';
  topic: string;
  decode(record: LogRecord): DecodeResult<E>;
}

/**
 * Decodes a topic whose records only make sense together (a CDC stream: a transaction spread over
 * several records). Its state per `stateKey` is stored by the engine in the same transaction as
 * the projection, so a crash cannot split a translation. State must be JSON.
 */
export interface StatefulDecoder<E extends EventEnvelope, S = unknown> extends DecoderTraits {
  kind: 'stateful';
  topic: string;
  stateKey(record: LogRecord): string;
  /** `stateKey`, when given, is what `stateKey(record)` returned: the engine computed it already to load the state. */
  decode(record: LogRecord, state: S | undefined, stateKey?: string): { result: DecodeResult<E>; state: S | undefined };
}

export type TopicDecoder<E extends EventEnvelope> = StatelessDecoder<E> | StatefulDecoder<E>;
