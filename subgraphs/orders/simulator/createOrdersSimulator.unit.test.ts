import { describe, expect, it } from 'vitest';
import { createOrdersSimulator as createSimulator } from './createOrdersSimulator.js';

describe('simulator', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const faults = { duplicateRate: 0.05, reorderRate: 0.05, lateRate: 0.05, malformedRate: 0.05, gapRate: 0.05 };
    const a = createSimulator({ seed: 5, faults }).nextOrders(50).records;
    const b = createSimulator({ seed: 5, faults }).nextOrders(50).records;
    const c = createSimulator({ seed: 6, faults }).nextOrders(50).records;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('injects the faults it reports, and keeps delivery times non-decreasing', () => {
    const simulator = createSimulator({ seed: 1, faults: { legacyShare: 0.3, duplicateRate: 0.05, reorderRate: 0.05, lateRate: 0.05, malformedRate: 0.02, gapRate: 0.02 } });
    const { records } = simulator.nextOrders(300);
    const { stats } = simulator;
    expect(stats.orders).toBe(300);
    expect(stats.legacyOrders).toBeGreaterThan(50);
    for (const key of ['duplicates', 'reordered', 'late', 'malformed', 'dropped'] as const) expect(stats[key], key).toBeGreaterThan(0);
    expect(stats.records).toBe(records.length);
    for (let i = 1; i < records.length; i++) expect(records[i]!.at).toBeGreaterThanOrEqual(records[i - 1]!.at);
    const values = records.map((r) => r.value);
    expect(values.length - new Set(values).size).toBeGreaterThanOrEqual(stats.duplicates);
  });
});
