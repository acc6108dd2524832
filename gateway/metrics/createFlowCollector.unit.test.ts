import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { FlowMetric, FlowSample } from '../../platform/context/index.js';
import type { FlowSource } from './createFlowCollector.js';
import { createFlowCollector } from './createFlowCollector.js';

const METRICS: FlowMetric[] = [
  { name: 'dpg_unit_items', help: 'Items per owner.', labelNames: ['owner'] },
  { name: 'dpg_unit_total', help: 'All items.', labelNames: [] },
];

/** A source whose collections the test settles by hand, recording how many ran at once. */
function manualSource(id: string, tracker: { running: number; peak: number }) {
  const waiting: Array<(samples: FlowSample[]) => void> = [];
  let calls = 0;
  const source: FlowSource = {
    id,
    collect() {
      calls += 1;
      tracker.running += 1;
      tracker.peak = Math.max(tracker.peak, tracker.running);
      return new Promise<FlowSample[]>((resolve) => waiting.push(resolve)).finally(() => (tracker.running -= 1));
    },
  };
  return { source, calls: () => calls, answer: (samples: FlowSample[] = []) => waiting.shift()?.(samples) };
}

const immediate = (id: string, samples: FlowSample[] | (() => FlowSample[])): FlowSource => ({ id, collect: async () => (typeof samples === 'function' ? samples() : samples) });

async function exposition(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('createFlowCollector', () => {
  it('serves declared samples, and drops (and counts) samples of undeclared metrics or the wrong labels', async () => {
    const registry = new Registry();
    const flow = createFlowCollector(
      registry,
      METRICS,
      [
        immediate('good', [{ name: 'dpg_unit_items', labels: { owner: 'a' }, value: 3 }, { name: 'dpg_unit_total', labels: {}, value: 3 }]),
        immediate('sloppy', [
          { name: 'dpg_unit_items', labels: { owner: 'b' }, value: 1 },
          { name: 'dpg_unit_items', labels: { team: 'b' }, value: 1 },
          { name: 'dpg_unit_undeclared', labels: {}, value: 1 },
          { name: 'dpg_unit_items', labels: { owner: 'c' }, value: Number.NaN },
        ]),
      ],
      { timeoutMs: 1000, reuseMs: 0, concurrency: 2 },
    );
    await flow.refresh();
    const lines = await exposition(registry);
    expect(lines).toContain('dpg_unit_items{owner="a"} 3');
    expect(lines).toContain('dpg_unit_items{owner="b"} 1');
    expect(lines).toContain('dpg_unit_total 3');
    expect(lines.filter((l) => l.startsWith('dpg_unit_items'))).toHaveLength(2);
    expect(lines).toContain('dpg_metrics_collect_errors_total{source="sloppy",kind="invalid_sample"} 1');
    expect(lines.some((l) => l.includes('source="good",kind'))).toBe(false);
  });

  it('shows no value for a label-less gauge whose source failed, rather than 0', async () => {
    const registry = new Registry();
    let fail = false;
    const flow = createFlowCollector(registry, METRICS, [{ id: 'flaky', collect: async () => (fail ? Promise.reject(new Error('boom')) : [{ name: 'dpg_unit_total', labels: {}, value: 7 }]) }], { timeoutMs: 1000, reuseMs: 0, concurrency: 1 });
    await flow.refresh();
    expect(await exposition(registry)).toContain('dpg_unit_total 7');
    fail = true;
    await flow.refresh();
    const lines = await exposition(registry);
    expect(lines.filter((l) => l.startsWith('dpg_unit_total'))).toEqual([]);
    expect(lines).toContain('dpg_metrics_collect_errors_total{source="flaky",kind="failed"} 1');
  });

  it('runs at most `concurrency` sources at once, and counts those it had no time to start as timeouts', async () => {
    const registry = new Registry();
    const tracker = { running: 0, peak: 0 };
    const sources = ['s1', 's2', 's3', 's4'].map((id) => manualSource(id, tracker));
    const flow = createFlowCollector(registry, METRICS, sources.map((s) => s.source), { timeoutMs: 200, reuseMs: 0, concurrency: 2 });
    const refreshed = flow.refresh();
    await new Promise((r) => setTimeout(r, 20));
    expect(tracker.running).toBe(2);
    sources[0]!.answer([{ name: 'dpg_unit_items', labels: { owner: 's1' }, value: 1 }]);
    await refreshed;
    expect(tracker.peak).toBe(2);
    expect(sources.map((s) => s.calls())).toEqual([1, 1, 1, 0]);
    const lines = await exposition(registry);
    expect(lines).toContain('dpg_unit_items{owner="s1"} 1');
    for (const id of ['s2', 's3', 's4']) expect(lines).toContain(`dpg_metrics_collect_errors_total{source="${id}",kind="timeout"} 1`);
    expect(lines).toContain('dpg_metrics_collect_duration_seconds{source="s2"} 0.2');
  });

  it('never starts a source again while its collection is still running, and serves its late answer', async () => {
    const registry = new Registry();
    const tracker = { running: 0, peak: 0 };
    const slow = manualSource('slow', tracker);
    const flow = createFlowCollector(registry, METRICS, [slow.source], { timeoutMs: 50, reuseMs: 10_000, concurrency: 1 });
    await flow.refresh();
    await flow.refresh();
    expect(slow.calls()).toBe(1);
    expect(await exposition(registry)).toContain('dpg_metrics_collect_errors_total{source="slow",kind="timeout"} 2');
    slow.answer([{ name: 'dpg_unit_items', labels: { owner: 'late' }, value: 5 }]);
    await new Promise((r) => setTimeout(r, 0));
    // Within the reuse window, the late answer is served without collecting again.
    await flow.refresh();
    expect(slow.calls()).toBe(1);
    expect(await exposition(registry)).toContain('dpg_unit_items{owner="late"} 5');
  });

  it('reuses samples younger than reuseMs, and collects again after', async () => {
    const registry = new Registry();
    let calls = 0;
    const flow = createFlowCollector(registry, METRICS, [immediate('counted', () => [{ name: 'dpg_unit_total', labels: {}, value: ++calls }])], { timeoutMs: 1000, reuseMs: 100, concurrency: 1 });
    await flow.refresh();
    await flow.refresh();
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    await flow.refresh();
    expect(calls).toBe(2);
    expect(await exposition(registry)).toContain('dpg_unit_total 2');
  });
});
