import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2Partition } from './murmur2Partition.js';

describe('murmur2Partition', () => {
  it('chooses the same partition as Kafka’s default (Java-compatible) partitioner', () => {
    const kafkaDefault = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 4, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
      for (const key of ['ord-000001', 'ord-000002', '{"ORDER_ID":"ord-000123"}', '', 'é', 'abc', 'abcd', 'abcde']) {
        expect(murmur2Partition(key, partitions)).toBe(kafkaDefault({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }
    }
  });
});
