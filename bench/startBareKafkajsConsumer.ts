/**
 * The baseline of the Kafka-path benchmarks: a bare kafkajs consumer (its own group, kafkajs'
 * defaults but the idle fetch wait, `eachBatch`, no work per record but reading key and value),
 * held at a gate so a benchmark decides when it may read.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Gate } from './createGate.js';

export interface BareKafkajsConsumer {
  /** Records read so far. */
  readonly records: number;
  /** Resolves once every partition has been read up to `ends` (log-end offsets per topic). */
  reached(ends: ReadonlyMap<string, readonly number[]>): Promise<void>;
  stop(): Promise<void>;
}

export async function startBareKafkajsConsumer(brokers: string[], topics: readonly string[], gate: Gate, maxWaitTimeInMs: number): Promise<BareKafkajsConsumer> {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, logLevel: logLevel.NOTHING });
  // The idle wait is the one setting changed: the test broker holds an empty fetch for all of it
  // (kafkajs' default is 5 s), which would time the gaps between a benchmark's rounds, not reading.
  const consumer = kafka.consumer({ groupId: `bench-bare-${Date.now().toString(36)}`, maxWaitTimeInMs });
  const next = new Map<string, number>();
  let records = 0;
  let bytes = 0;
  let failure: unknown;
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      await gate.passed();
      for (const message of batch.messages) bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
      records += batch.messages.length;
      const last = batch.messages[batch.messages.length - 1];
      if (last) next.set(`${batch.topic}/${batch.partition}`, Number(last.offset) + 1);
    },
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => (failure = payload.error));
  return {
    get records() {
      return records;
    },
    async reached(ends) {
      for (;;) {
        if (failure) throw failure;
        const behind = [...ends].some(([topic, offsets]) => offsets.some((end, partition) => (next.get(`${topic}/${partition}`) ?? 0) < end));
        if (!behind) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (records > 0 && bytes === 0) throw new Error('the bare consumer read records without bytes');
    },
    stop: () => consumer.disconnect(),
  };
}
