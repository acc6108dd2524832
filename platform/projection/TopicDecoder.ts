import type { EventEnvelope } from '../events/index.js';
import type { LogRecord } from '../eventLog/index.js';
import type { Rejection } from './Projection.js';

/** What a record becomes: domain events (zero or more), nothing on purpose, or a quarantine entry. */
export type DecodeResult<E> =
  | { kind: 'events'; events: E[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; rejection: Rejection };

/** Decodes and validates a topic whose records are self-contained (a domain-event topic). */
export interface StatelessDecoder<E extends EventEnvelope> {
  kind: 'stateless';
  topic: string;
  decode(record: LogRecord): DecodeResult<E>;
}

/**
 * Decodes a topic whose records only make sense together (a CDC stream: a transaction spread over
 * several records). Its state per `stateKey` is stored by the engine in the same transaction as
 * the projection, so a crash cannot split a translation. State must be JSON.
 */
export interface StatefulDecoder<E extends EventEnvelope, S = unknown> {
  kind: 'stateful';
  topic: string;
  stateKey(record: LogRecord): string;
  /** `stateKey`, when given, is what `stateKey(record)` returned: the engine computed it already to load the state. */
  decode(record: LogRecord, state: S | undefined, stateKey?: string): { result: DecodeResult<E>; state: S | undefined };
}

export type TopicDecoder<E extends EventEnvelope> = StatelessDecoder<E> | StatefulDecoder<E>;
