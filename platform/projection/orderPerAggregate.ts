import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, Candidate, QuarantineEntry } from './applyInputs.js';
import type { BatchState, GapExpiredEvent, ParkedEvent } from './batchState.js';
import { gapExpired } from './batchState.js';
import type { Projection } from './Projection.js';
import type { AutomaticRedriveOutcome } from './quarantineOperations.js';

/**
 * Stage 3, in memory: each candidate, in log order, is a duplicate, waits (parked) for a missing
 * predecessor, or applies; an event that applies is followed by whatever waited for the sequences
 * after it. `gapBound` (absent for a re-drive) makes waiting events give up, record by record.
 */
export function orderPerAggregate<E extends EventEnvelope, S>(projection: Projection<E, S>, state: BatchState<E, S>, candidates: readonly Candidate<E>[], counts: ApplyCounts, gapBound: number | undefined): void {
  for (const candidate of candidates) {
    const { event } = candidate;
    if (gapBound !== undefined) expireWaiting(state, event.aggregateId, candidate.provenance.offset, gapBound, counts);
    const position = state.positions.get(event.aggregateId) ?? 0;
    if (state.known.has(event.eventId) || event.sequence <= position) counts.duplicates++;
    else if (event.sequence > position + 1) park(state, candidate, counts);
    else {
      apply(projection, state, candidate, counts);
      applySuccessors(projection, state, event.aggregateId, counts);
    }
  }
}

/** The first event for a sequence waits; a second one for the same sequence is a duplicate. */
function park<E extends EventEnvelope, S>(state: BatchState<E, S>, candidate: Candidate<E>, counts: ApplyCounts): void {
  const { aggregateId, sequence } = candidate.event;
  const waiting = state.parked.get(aggregateId) ?? new Map<number, ParkedEvent<E>>();
  state.parked.set(aggregateId, waiting);
  if (waiting.has(sequence)) counts.duplicates++;
  else {
    waiting.set(sequence, { ...candidate, stored: false });
    counts.parked++;
  }
}

/**
 * An event parked at offset p gives up once its partition reaches p + gapBound + 1. Checked per
 * record (not per batch) so the decision does not depend on where batches happen to end: a
 * rebuild that replays in other batch sizes decides exactly as the live run did. Events still
 * parked at the end of the batch are swept by the same rule (stage 5). An event that gives up
 * becomes a quarantine entry and stays at hand: it applies automatically when its gap fills.
 */
function expireWaiting<E extends EventEnvelope, S>(state: BatchState<E, S>, aggregateId: string, atOffset: number, gapBound: number, counts: ApplyCounts): void {
  const waiting = state.parked.get(aggregateId);
  if (!waiting) return;
  for (const [sequence, parked] of waiting) {
    if (parked.provenance.offset >= atOffset - gapBound) continue;
    waiting.delete(sequence);
    if (parked.stored) state.unparked.push([aggregateId, sequence]);
    const entry: QuarantineEntry = { provenance: parked.provenance, event: parked.event, rejection: gapExpired(parked.event, state.positions.get(aggregateId) ?? 0, gapBound) };
    counts.quarantined.push(entry);
    state.gapExpired.set(aggregateId, [...(state.gapExpired.get(aggregateId) ?? []), { kind: 'new', entry, event: parked.event, provenance: parked.provenance }]);
  }
}

/** `counts.maxEventTime` as a number, so each applied event parses one timestamp, not two. */
const maxEventTimeMs = new WeakMap<ApplyCounts, number>();

/**
 * Evolves the aggregate by one event. The sequence slot is spent either way: an event the
 * projection rejects is quarantined, and later events of the aggregate must not wait on it.
 */
function apply<E extends EventEnvelope, S>(projection: Projection<E, S>, state: BatchState<E, S>, candidate: Candidate<E>, counts: ApplyCounts): 'applied' | 'rejected' {
  const { event } = candidate;
  state.known.add(event.eventId);
  state.newEventIds.push(event.eventId);
  state.positions.set(event.aggregateId, event.sequence);
  state.moved.add(event.aggregateId);
  const { topic, partition, offset } = candidate.provenance;
  const evolution = projection.evolve(state.states.get(event.aggregateId), event, { topic, partition, offset });
  if ('rejection' in evolution) {
    counts.quarantined.push({ provenance: candidate.provenance, event, rejection: evolution.rejection });
    return 'rejected';
  }
  state.states.set(event.aggregateId, evolution.state);
  state.changed.set(event.aggregateId, evolution.state);
  counts.applied++;
  const at = Date.parse(event.occurredAt);
  if (counts.maxEventTime === null || at > (maxEventTimeMs.get(counts) ?? Date.parse(counts.maxEventTime))) {
    counts.maxEventTime = event.occurredAt;
    maxEventTimeMs.set(counts, at);
  }
  return 'applied';
}

/**
 * After an event advances its aggregate to sequence p, what waits for p + 1 applies, then for
 * p + 2, and on while the run is contiguous. For each sequence the first event in log order wins:
 * a gap-expired quarantine entry (it waited longest; re-driven automatically, its entry resolved),
 * else a parked event. Whatever else waited for that sequence (an entry or parked event from a
 * redelivery) is a duplicate: it never applies, and its entry is resolved as one.
 */
function applySuccessors<E extends EventEnvelope, S>(projection: Projection<E, S>, state: BatchState<E, S>, aggregateId: string, counts: ApplyCounts): void {
  for (;;) {
    const next = state.positions.get(aggregateId)! + 1;
    const waiting = state.parked.get(aggregateId);
    const parked = waiting?.get(next);
    if (parked) {
      waiting!.delete(next);
      if (parked.stored) state.unparked.push([aggregateId, next]);
    }
    const [first, ...others] = takeGapExpired(state, aggregateId, next);
    if (first) {
      const applied = apply(projection, state, first, counts);
      counts.recovered++;
      resolve(state, first, applied === 'applied' ? 'applied-automatically' : 'quarantined-again-automatically');
      for (const other of others) {
        counts.duplicates++;
        resolve(state, other, 'duplicate-automatically');
      }
      if (parked) counts.duplicates++;
    } else if (parked) {
      counts.unparked++;
      apply(projection, state, parked, counts);
    } else return;
  }
}

/** The aggregate's open gap-expired entries for `sequence` whose event has not applied, oldest first, taken off its list. */
function takeGapExpired<E extends EventEnvelope, S>(state: BatchState<E, S>, aggregateId: string, sequence: number): GapExpiredEvent<E>[] {
  const entries = state.gapExpired.get(aggregateId) ?? [];
  const taken = entries.filter((e) => e.event.sequence === sequence && !state.known.has(e.event.eventId));
  state.gapExpired.set(aggregateId, entries.filter((e) => !taken.includes(e)));
  return taken;
}

function resolve<E extends EventEnvelope, S>(state: BatchState<E, S>, expired: GapExpiredEvent<E>, outcome: AutomaticRedriveOutcome): void {
  if (expired.kind === 'stored') state.recovered.push({ quarantineId: expired.quarantineId, outcome });
  else expired.entry.automaticOutcome = outcome;
}
