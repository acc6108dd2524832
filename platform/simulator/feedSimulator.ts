import type { EventLog } from '../eventLog/index.js';
import { defaultLogger } from '../logging/index.js';
import type { Simulator } from './createSimulator.js';
import type { SimulatedRecord } from './SimulatedRecord.js';

export interface SimulatorFeed {
  /** Produces nothing more; resolves once the sends in flight have settled (a shutdown closes the log after). */
  stop(): Promise<void>;
}

/**
 * Streams simulator records into the event log as their event time comes, so `occurredAt`
 * tracks the wall clock and freshness visibly moves. Create the simulator with
 * `startTime: Date.now()`; its story interval sets the rate. Records stay in simulator order
 * (`at` is the delivery time, so injected reorders and late deliveries survive the merge).
 */
export function feedSimulator(log: EventLog, simulator: Pick<Simulator<unknown>, 'next' | 'clock'>, onError: (error: unknown) => void = (err) => defaultLogger().error({ component: 'simulator', err }, 'simulated records could not be produced')): SimulatorFeed {
  const queue: SimulatedRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const now = Date.now();
    // Start stories as their start time comes (a story's later records lie far ahead in event
    // time: waiting for the queue's last record would start new orders in bursts, minutes apart).
    while (simulator.clock < now + 5000) {
      // Merge by delivery time (a stable sort keeps each order's records in delivery order).
      queue.push(...simulator.next(8).records);
      queue.sort((a, b) => a.at - b.at);
    }
    let due = 0;
    while (due < queue.length && queue[due]!.at <= now) due++;
    const byTopic = new Map<string, SimulatedRecord[]>();
    for (const r of queue.splice(0, due)) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    for (const [topic, records] of byTopic) {
      const sent = log
        .produce(topic, records.map((r) => ({ key: r.key, value: r.value })))
        .catch(onError)
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
  }, 200);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
