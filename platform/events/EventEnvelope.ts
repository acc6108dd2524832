/** The producer envelope of every domain event (../shared/events/README.md). Given, not ours to change. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  /** The business key; equals the message key. */
  aggregateId: string;
  /** Position in the aggregate's history, from 1, gap-free at the producer. */
  sequence: number;
  /** Event time: when it happened in the business (RFC 3339, UTC, milliseconds). */
  occurredAt: string;
  producedAt: string;
  correlationId: string;
  causationId: string | null;
  source: string;
  data: TData;
}
