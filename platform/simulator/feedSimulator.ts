import type { EventLog } from '../eventLog/index.js';
import type { Simulator } from './createSimulator.js';
import type { SimulatedRecord } from './OrderHistory.js';

export interface SimulatorFeed {
  stop(): void;
}

/**
 * Streams simulator records into the event log at about `eventsPerSecond`. Create the simulator
 * with `startTime: Date.now()` so event times track the wall clock and freshness visibly moves.
 */
export function feedSimulator(log: EventLog, simulator: Simulator, eventsPerSecond: number, onError: (error: unknown) => void = (e) => console.error('[simulator]', e)): SimulatorFeed {
  const queue: SimulatedRecord[] = [];
  const tickMs = 250;
  const perTick = Math.max(1, Math.round((eventsPerSecond * tickMs) / 1000));
  const timer = setInterval(() => {
    if (queue.length < perTick * 8) queue.push(...simulator.nextOrders(Math.max(4, perTick)).records);
    const due = queue.splice(0, perTick);
    const byTopic = new Map<string, SimulatedRecord[]>();
    for (const r of due) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    for (const [topic, records] of byTopic) {
      log.produce(topic, records.map((r) => ({ key: r.key, value: r.value }))).catch(onError);
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
