import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, Candidate } from './applyInputs.js';
import type { GapExpiredEvent, ParkedEvent } from './batchState.js';
import { createBatchState } from './batchState.js';
import { orderPerAggregate } from './orderPerAggregate.js';
import type { Projection } from './Projection.js';
import { QuarantineReasonCode } from './Projection.js';

// Stage 3 of applyInputs alone, in memory: given what waits for an aggregate, when an event
// applies, then what follows it. The database side is covered by the orders integration specs.

type StepEvent = EventEnvelope<'Step' | 'Impossible', Record<string, never>>;
const step = (sequence: number, type: StepEvent['type'] = 'Step', eventId = `evt-${sequence}`): StepEvent => {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString();
  return { eventId, type, schemaVersion: 1, aggregateId: 'agg-1', sequence, occurredAt: at, producedAt: at, correlationId: 'c', causationId: null, source: 'spec', data: {} };
};
const at = (event: StepEvent, offset: number): Candidate<StepEvent> => ({ event, provenance: { topic: 'steps', partition: 0, offset, key: null, value: null } });
/** The state is the sequences applied, in the order they applied. */
const sequences: Projection<StepEvent, number[]> = {
  name: 'steps',
  tables: [],
  load: async () => new Map(),
  save: async () => undefined,
  evolve: (state, event) => (event.type === 'Impossible' ? { rejection: { code: QuarantineReasonCode.ImpossibleTransition, reason: `impossible #${event.sequence}` } } : { state: [...(state ?? []), event.sequence] }),
};
const noCounts = (): ApplyCounts => ({ applied: 0, duplicates: 0, parked: 0, unparked: 0, recovered: 0, ignored: 0, quarantined: [], maxEventTime: null });
const given = (waiting: { parked?: Array<ParkedEvent<StepEvent>>; gapExpired?: Array<GapExpiredEvent<StepEvent>> }) =>
  createBatchState<StepEvent, number[]>({
    positions: new Map([['agg-1', 1]]),
    known: new Set(),
    states: new Map([['agg-1', [1]]]),
    parked: new Map([['agg-1', new Map((waiting.parked ?? []).map((p) => [p.event.sequence, p]))]]),
    gapExpired: new Map([['agg-1', waiting.gapExpired ?? []]]),
  });

describe('orderPerAggregate', () => {
  it('given #3 gap-expired and #4 parked, when #2 applies, then #3 and #4 follow in sequence order and the entry is resolved', () => {
    const state = given({ gapExpired: [{ kind: 'stored', quarantineId: 7, ...at(step(3), 1) }], parked: [{ stored: true, ...at(step(4), 30) }] });
    const counts = noCounts();
    orderPerAggregate(sequences, state, [at(step(2), 40)], counts, 100);
    expect(state.states.get('agg-1')).toEqual([1, 2, 3, 4]);
    expect(state.positions.get('agg-1')).toBe(4);
    expect(state.recovered).toEqual([{ quarantineId: 7, outcome: 'applied-automatically' }]);
    expect(state.unparked).toEqual([['agg-1', 4]]);
    expect(counts).toMatchObject({ applied: 3, recovered: 1, unparked: 1, duplicates: 0, quarantined: [] });
  });

  it('given #3 quarantined twice and parked once (redeliveries), when #2 applies, then the oldest entry applies and the rest are duplicates', () => {
    const state = given({
      gapExpired: [{ kind: 'stored', quarantineId: 7, ...at(step(3), 1) }, { kind: 'stored', quarantineId: 9, ...at(step(3), 12) }],
      parked: [{ stored: true, ...at(step(3), 25) }],
    });
    const counts = noCounts();
    orderPerAggregate(sequences, state, [at(step(2), 30), at(step(3), 31)], counts, 100);
    expect(state.states.get('agg-1')).toEqual([1, 2, 3]);
    expect(state.recovered).toEqual([{ quarantineId: 7, outcome: 'applied-automatically' }, { quarantineId: 9, outcome: 'duplicate-automatically' }]);
    expect(state.unparked).toEqual([['agg-1', 3]]);
    expect(counts).toMatchObject({ applied: 2, recovered: 1, duplicates: 3 });
  });

  it('given #3 expiring in this batch and #2 later in it, then #3 is quarantined already resolved; a rejected one is quarantined again', () => {
    const state = given({ parked: [{ stored: true, ...at(step(3, 'Impossible'), 0) }] });
    const counts = noCounts();
    orderPerAggregate(sequences, state, [at(step(2), 10)], counts, 5);
    expect(state.positions.get('agg-1')).toBe(3);
    expect(state.states.get('agg-1')).toEqual([1, 2]);
    expect(counts.quarantined.map((q) => [q.rejection.code, q.automaticOutcome])).toEqual([
      [QuarantineReasonCode.SequenceGapExpired, 'quarantined-again-automatically'],
      [QuarantineReasonCode.ImpossibleTransition, undefined],
    ]);
    expect(counts.quarantined[0]!.rejection.reason).toMatch(/^Impossible #3 of agg-1 waited 5 records for sequence 2 \(last applied: 1\)/);
  });

  it('given #3 gap-expired, when a later event of the aggregate arrives but not #2, then #3 stays waiting', () => {
    const state = given({ gapExpired: [{ kind: 'stored', quarantineId: 7, ...at(step(3), 1) }] });
    const counts = noCounts();
    orderPerAggregate(sequences, state, [at(step(4), 40)], counts, 100);
    expect(state.recovered).toEqual([]);
    expect(state.positions.get('agg-1')).toBe(1);
    expect(counts).toMatchObject({ applied: 0, parked: 1, recovered: 0 });
  });
});
