import type { Config } from '../../platform/config/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { feedSimulator } from '../../platform/simulator/index.js';
import { contexts, createJourneySimulator } from '../../subgraphs/index.js';

export interface RunningSimulatorFeeds {
  /** Every topic the contexts read: the journeys publish on all of them. */
  readonly topics: readonly string[];
  /** Stops both feeds; resolves once the records they were producing are sent. */
  stop(): Promise<void>;
}

/** The topics of every context of the registry, once each. */
export function registryTopics(): string[] {
  return [...new Set(contexts.flatMap((c) => c.ingestion.decoders.map((d) => d.topic)))];
}

/**
 * The demo traffic: live order journeys as their event time comes, and before them a week of
 * slower journeys (hours between steps), so deadlines decided on event time (24 h to 72 h) have
 * passed for them and every kind of exception shows at once; their steps still in the
 * future arrive as their time comes. Other order numbers than the live ones.
 */
export function startSimulatorFeeds(log: EventLog, config: Pick<Config, 'simulator'>, onError?: (error: unknown) => void): RunningSimulatorFeeds {
  const live = feedSimulator(
    log,
    createJourneySimulator({
      seed: config.simulator.seed,
      startTime: Date.now(),
      // A journey publishes ~12 records across the three topics.
      orderIntervalMs: Math.max(1, Math.round(12_000 / config.simulator.eventsPerSecond)),
      stepIntervalMs: 3000,
      faults: { legacyShare: 0.2, duplicateRate: 0.01, reorderRate: 0.01, malformedRate: 0.002 },
    }),
    onError,
  );
  const history = feedSimulator(
    log,
    createJourneySimulator({
      seed: config.simulator.seed + 1,
      firstOrderNumber: 900_001,
      startTime: Date.now() - 7 * 86_400_000,
      orderIntervalMs: 20 * 60_000,
      stepIntervalMs: 2 * 3_600_000,
      rates: { 'dispatch-after-cancel': 0.08, 'never-captured': 0.04, 'order-never-appears': 0.02, 'authorization-expired': 0.05 },
      faults: { legacyShare: 0.2 },
    }),
    onError,
  );
  return {
    topics: registryTopics(),
    async stop() {
      await Promise.all([live.stop(), history.stop()]);
    },
  };
}
