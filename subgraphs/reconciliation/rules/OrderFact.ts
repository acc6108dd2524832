import type { EventOrigin } from '../../../platform/projection/index.js';
import type { ReconciliationEvent } from '../events/ReconciliationEvent.js';

/** An event of the order's history as reconciliation keeps it, with where it was read. */
export interface OrderFact {
  event: ReconciliationEvent;
  origin: EventOrigin;
}

/** How an exception cites an event: its id, with topic, partition and offset. */
export interface Evidence {
  eventId: string;
  type: string;
  occurredAt: string;
  topic: string;
  partition: number;
  offset: number;
}

export const evidenceOf = (fact: OrderFact): Evidence => ({
  eventId: fact.event.eventId,
  type: fact.event.type,
  occurredAt: fact.event.occurredAt,
  topic: fact.origin.topic,
  partition: fact.origin.partition,
  offset: fact.origin.offset,
});

/** A fact at its effective event time. */
export interface TimedFact extends OrderFact {
  /** Epoch ms: the event's `occurredAt`, or its aggregate's previous event's if later (an aggregate's history never runs backwards). */
  at: number;
}

/**
 * The facts in the order rules see them: by effective event time, ties by log position (topic,
 * partition, offset), which is the same in every replay. Per aggregate, an event's effective time
 * is never before its predecessor's (by sequence): a producer clock that stepped back must not
 * let an amendment count before its order was placed.
 */
export function timeline(facts: readonly OrderFact[]): TimedFact[] {
  const byAggregate = new Map<string, OrderFact[]>();
  for (const fact of facts) {
    const list = byAggregate.get(fact.event.aggregateId) ?? [];
    list.push(fact);
    byAggregate.set(fact.event.aggregateId, list);
  }
  const timed: TimedFact[] = [];
  for (const list of byAggregate.values()) {
    list.sort((a, b) => a.event.sequence - b.event.sequence);
    let previous = -Infinity;
    for (const fact of list) {
      const at = Math.max(Date.parse(fact.event.occurredAt), previous);
      previous = at;
      timed.push({ ...fact, at });
    }
  }
  return timed.sort((a, b) => a.at - b.at || compareText(a.origin.topic, b.origin.topic) || a.origin.partition - b.origin.partition || a.origin.offset - b.origin.offset);
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
