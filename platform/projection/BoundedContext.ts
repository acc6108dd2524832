import type { EventEnvelope } from '../events/index.js';
import type { Projection } from './Projection.js';
import type { TopicDecoder } from './TopicDecoder.js';

/** What a context hands the engine: the topics it ingests and the projections it maintains. */
export interface BoundedContext<E extends EventEnvelope> {
  /** Also the default Postgres schema. */
  name: string;
  decoders: TopicDecoder<E>[];
  // A context mixes projections of different state types; the engine treats state as opaque.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  projections: Projection<E, any>[];
}
