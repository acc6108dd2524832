/**
 * The simulated order history the ingest, Kafka-ingest and rebuild benchmarks share: the same
 * seed and faults (legacy share, duplicates, reorders), so their figures describe the same records.
 */
import type { EventLog } from '../platform/eventLog/index.js';
import type { SimulatedRecord } from '../platform/simulator/index.js';
import { createOrdersSimulator } from '../subgraphs/orders/index.js';

export interface SimulatedOrderHistory {
  records: SimulatedRecord[];
  orders: number;
  duplicates: number;
  reordered: number;
}

/** The simulator settings of that history (bench:ingest streams it to the log as it is generated, rather than hold it). */
export const SIMULATED_HISTORY_SETTINGS = { seed: 1, faults: { legacyShare: 0.2, duplicateRate: 0.02, reorderRate: 0.02 } } as const;

/** At least `targetRecords` records, whole orders, in delivery order. */
export function simulatedOrderHistory(targetRecords: number): SimulatedOrderHistory {
  const simulator = createOrdersSimulator(SIMULATED_HISTORY_SETTINGS);
  const records: SimulatedRecord[] = [];
  while (records.length < targetRecords) {
    for (const record of simulator.nextOrders(2000).records) records.push(record);
  }
  return { records, orders: simulator.stats.orders, duplicates: simulator.stats.duplicates, reordered: simulator.stats.reordered };
}

/**
 * Produces the records as a batching producer does: `chunk` records at a time in delivery order,
 * one produce call per topic per chunk, so each partition receives one record batch of about
 * chunk ÷ (topics × partitions) records per call (kafkajs groups a send by partition). Order per
 * topic, hence per key, is kept; order across topics is not, as with any producer.
 */
export async function produceInProducerBatches(log: EventLog, records: readonly SimulatedRecord[], chunk = 8_000): Promise<void> {
  for (let i = 0; i < records.length; i += chunk) {
    const byTopic = new Map<string, Array<{ key: string; value: string | null }>>();
    for (const record of records.slice(i, i + chunk)) {
      let list = byTopic.get(record.topic);
      if (!list) byTopic.set(record.topic, (list = []));
      list.push({ key: record.key, value: record.value });
    }
    await Promise.all([...byTopic].map(([topic, list]) => log.produce(topic, list)));
  }
}
