import type { EventEnvelope } from '../events/index.js';
import type { Projection } from './Projection.js';
import type { TopicDecoder } from './TopicDecoder.js';

/**
 * Per topic, the JSON paths of a record's value that are safe to show in the quarantine listing.
 * An allowlist: every value not listed is replaced by a placeholder that keeps its shape and
 * type, never its content, so a field a producer adds tomorrow is hidden until someone declares
 * it safe. Path syntax: keys joined by `.`, `[]` for "each element of this array", `*` for any
 * one key (`data.lines[].sku`, `source.*`, `after.STATUS_CD`). A path shows a scalar only; an
 * object or array is always walked, each of its children judged by its own path.
 */
export type QuarantineDisplay = Readonly<Record<string, readonly string[]>>;

/** What a context hands the engine: the topics it ingests and the projections it maintains. */
export interface BoundedContext<E extends EventEnvelope> {
  /** Also the default Postgres schema. */
  name: string;
  decoders: TopicDecoder<E>[];
  // A context mixes projections of different state types; the engine treats state as opaque.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  projections: Projection<E, any>[];
  /**
   * What operators may see of a quarantined input without asking for the original (which is
   * audited). Default: nothing but the message key, shapes and lengths: inputs carry personal
   * data (emails, addresses, names), so an undeclared topic fails closed.
   */
  quarantineDisplay?: QuarantineDisplay;
}
