import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { RetryNotice } from '../retry/index.js';
import type { EventLog, LogRecord, MembershipEvent, PartitionBatch, RetentionGapEvent, RetentionGapPolicy } from './EventLog.js';
import { murmur2Partition } from './murmur2Partition.js';

const PARTITIONS = 4;

/** Polls until `check` passes or the deadline is hit (consumption is asynchronous). */
async function eventually(check: () => void, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** What the suite needs of an implementation besides the port. */
export interface ConformanceFixture<L extends EventLog> {
  /** A log of this kind; `retentionGap` as an operator would configure it (default halt). */
  open(options?: { retentionGap?: RetentionGapPolicy }): Promise<L>;
  /**
   * Makes the partition of `key` lose its oldest records the way this log does (retention,
   * deleted records), at least all of those produced so far; resolves with the partition's new
   * earliest offset. It may append records of `key` to get there (Kafka retention by size).
   */
  dropOldestRecords(log: L, topic: string, partition: number, key: string): Promise<number>;
}

/**
 * The event-log port's contract (DESIGN §4), run unchanged against the embedded log and Kafka.
 * Each test uses its own topic, so the suite needs no cleanup on the broker.
 */
export function describeEventLogConformance<L extends EventLog>(name: string, fixture: ConformanceFixture<L>): void {
  describe(`Event log port conformance: ${name}`, () => {
    let log: L;
    const topic = async () => {
      const t = `conformance.${randomBytes(4).toString('hex')}.v1`;
      await log.ensureTopics([{ name: t, partitions: PARTITIONS }]);
      return t;
    };
    const collect = () => {
      const batches: PartitionBatch[] = [];
      const records = () => batches.flatMap((b) => b.records);
      return { batches, records, handleBatch: async (b: PartitionBatch) => void batches.push(b) };
    };
    beforeAll(async () => {
      log = await fixture.open();
    });
    afterAll(async () => {
      await log.close();
    });

    it('puts one key on one partition (murmur2), with offsets from 0 in produce order', async () => {
      const t = await topic();
      await log.produce(t, ['a', 'b', 'a', 'c', 'a'].map((key, i) => ({ key, value: `v${i}` })));
      const ends = await log.endOffsets(t);
      expect(ends).toHaveLength(PARTITIONS);
      expect(ends.reduce((a, b) => a + b, 0)).toBe(5);
      const partitionOfA = murmur2Partition('a', PARTITIONS);
      const seen: LogRecord[] = [];
      await log.readRanges(t, [{ partition: partitionOfA, from: 0, until: ends[partitionOfA]! }], async (r) => void seen.push(...r));
      const aRecords = seen.filter((r) => r.key?.toString() === 'a');
      expect(aRecords.map((r) => r.value?.toString())).toEqual(['v0', 'v2', 'v4']);
      expect(seen.map((r) => r.offset)).toEqual(seen.map((_, i) => i));
    });

    it('keeps headers, binary values and tombstones as produced', async () => {
      const t = await topic();
      const bytes = Buffer.from([0, 1, 254, 255]);
      await log.produce(t, [
        { key: 'k', value: bytes, headers: { 'content-type': 'application/octet-stream' } },
        { key: 'k', value: null },
      ]);
      const p = murmur2Partition('k', PARTITIONS);
      const seen: LogRecord[] = [];
      await log.readRanges(t, [{ partition: p, from: 0, until: 2 }], async (r) => void seen.push(...r));
      expect(seen).toHaveLength(2);
      expect(Buffer.from(seen[0]!.value!)).toEqual(bytes);
      expect(seen[0]!.headers['content-type']).toBe('application/octet-stream');
      expect(seen[0]!.timestamp).toBeGreaterThan(0);
      expect(seen[1]!.value).toBeNull();
      expect(seen[1]!.partition).toBe(p);
    });

    it('starts each partition at the offset the caller stored, and delivers in order', async () => {
      const t = await topic();
      await log.produce(t, Array.from({ length: 20 }, (_, i) => ({ key: 'same', value: String(i) })));
      const p = murmur2Partition('same', PARTITIONS);
      const sink = collect();
      const sub = await log.subscribe({ groupId: `g-${randomBytes(4).toString('hex')}`, topics: [t], startOffset: async (_t, partition) => (partition === p ? 12 : 0), handleBatch: sink.handleBatch });
      try {
        await eventually(() => expect(sink.records().map((r) => r.value?.toString())).toEqual(['12', '13', '14', '15', '16', '17', '18', '19']));
        await log.produce(t, [{ key: 'same', value: '20' }]);
        await eventually(() => expect(sink.records().at(-1)?.value?.toString()).toBe('20'));
        const last = sink.batches.at(-1)!;
        expect(last.logEndOffset).toBe(21);
      } finally {
        await sub.stop();
      }
    });

    it('redelivers a batch whose handler failed, and skips nothing', async () => {
      const t = await topic();
      await log.produce(t, Array.from({ length: 5 }, (_, i) => ({ key: 'retry', value: String(i) })));
      let failures = 0;
      const applied: string[] = [];
      let position = 0;
      const sub = await log.subscribe({
        groupId: `g-${randomBytes(4).toString('hex')}`,
        topics: [t],
        startOffset: async () => position,
        retry: { baseMs: 20, maxMs: 200, jitter: 'full' },
        handleBatch: async (batch) => {
          if (failures < 2) {
            failures++;
            throw new Error('database unavailable');
          }
          applied.push(...batch.records.map((r) => r.value!.toString()));
          position = batch.records.at(-1)!.offset + 1;
        },
      });
      try {
        await eventually(() => expect(applied).toEqual(['0', '1', '2', '3', '4']), 40_000);
        expect(failures).toBe(2);
      } finally {
        await sub.stop();
      }
    });

    it('backs a failing partition off per its retry policy, tells each failure, and lets the other partitions go on', async () => {
      const t = await topic();
      // Two keys on two different partitions: one fails three times, the other never.
      const failingKey = 'backoff-a';
      const healthyKey = Array.from({ length: 50 }, (_, i) => `backoff-b${i}`).find((k) => murmur2Partition(k, PARTITIONS) !== murmur2Partition(failingKey, PARTITIONS))!;
      const failingPartition = murmur2Partition(failingKey, PARTITIONS);
      await log.produce(t, [{ key: failingKey, value: 'slow' }, { key: healthyKey, value: 'fast' }]);
      const stored = new Map<number, number>();
      const notices: Array<{ notice: RetryNotice; code: unknown }> = [];
      const failedAt: number[] = [];
      const appliedAt = new Map<string, number>();
      const started = performance.now();
      const sub = await log.subscribe({
        groupId: `g-${randomBytes(4).toString('hex')}`,
        topics: [t],
        startOffset: async (_t, p) => stored.get(p) ?? 0,
        retry: { baseMs: 400, maxMs: 400, jitter: 'none' },
        onError: (error, notice) => notices.push({ notice, code: (error as { code?: unknown }).code }),
        handleBatch: async (batch) => {
          if (batch.partition === failingPartition && failedAt.length < 3) {
            failedAt.push(performance.now());
            throw new PlatformError(PlatformErrorCode.DatabaseUnavailable, 'database restarting', { retriable: true });
          }
          for (const r of batch.records) appliedAt.set(r.value!.toString(), performance.now());
          stored.set(batch.partition, batch.records.at(-1)!.offset + 1);
        },
      });
      try {
        await eventually(() => expect([...appliedAt.keys()].sort()).toEqual(['fast', 'slow']), 40_000);
      } finally {
        await sub.stop();
      }
      expect(notices.map((n) => n.notice)).toEqual([1, 2, 3].map((attempt) => ({ attempt, delayMs: 400, retriable: true })));
      expect(notices.every((n) => n.code === 'DATABASE_UNAVAILABLE')).toBe(true);
      // Each retry waited its backoff (a little less is timer granularity), not a tight loop...
      for (let i = 1; i < failedAt.length; i++) expect(failedAt[i]! - failedAt[i - 1]!).toBeGreaterThanOrEqual(380);
      expect(appliedAt.get('slow')! - failedAt[2]!).toBeGreaterThanOrEqual(380);
      // ...while the healthy partition did not wait for the failing one.
      expect(appliedAt.get('fast')! - started).toBeLessThan(appliedAt.get('slow')! - started);
    });

    it('waits the longest for a failure that says retrying cannot help, and says so', async () => {
      const t = await topic();
      await log.produce(t, [{ key: 'poison', value: 'x' }]);
      let calls = 0;
      const notices: RetryNotice[] = [];
      let done = false;
      const sub = await log.subscribe({
        groupId: `g-${randomBytes(4).toString('hex')}`,
        topics: [t],
        startOffset: async () => (done ? 1 : 0),
        retry: { baseMs: 10, maxMs: 300, jitter: 'full' },
        onError: (_error, notice) => notices.push(notice),
        handleBatch: async () => {
          calls++;
          if (calls === 1) throw new TypeError('a bug in a projection');
          done = true;
        },
      });
      try {
        await eventually(() => expect(done).toBe(true), 40_000);
      } finally {
        await sub.stop();
      }
      expect(notices).toEqual([{ attempt: 1, delayMs: 300, retriable: false }]);
    });

    it('fills a batch up to maxBatchSize from records produced one at a time, in order', async () => {
      // A producer that sends as events happen writes one record batch per record; a projector
      // must still apply them a full batch per transaction, not one transaction per produce call.
      // (The test broker returns one produce batch per partition per fetch: the adapter gathers.)
      const t = await topic();
      for (let i = 0; i < 60; i++) await log.produce(t, [{ key: 'one-key', value: `v${i}` }]);
      const { batches, records, handleBatch } = collect();
      const sub = await log.subscribe({ groupId: `g-${randomBytes(4).toString('hex')}`, topics: [t], startOffset: async () => 0, maxBatchSize: 25, handleBatch });
      try {
        await eventually(() => expect(records()).toHaveLength(60), 30_000);
      } finally {
        await sub.stop();
      }
      expect(records().map((r) => r.value?.toString())).toEqual(Array.from({ length: 60 }, (_, i) => `v${i}`));
      expect(Math.max(...batches.map((b) => b.records.length))).toBeLessThanOrEqual(25);
      // Three full batches would do. The Kafka adapter gathers for at most maxGatherMs (10 ms) per
      // batch, so a slow machine gets smaller ones; one batch per produce call (60) is what fails.
      expect(batches.length).toBeLessThanOrEqual(20);
    });

    it('shares partitions between members of one group, and hands a leaving member’s partitions over', async () => {
      const t = await topic();
      const groupId = `g-${randomBytes(4).toString('hex')}`;
      const stored = new Map<number, number>();
      const seenBy = { a: new Set<number>(), b: new Set<number>() };
      const applied: string[] = [];
      const member = (name: 'a' | 'b') => ({
        groupId,
        topics: [t],
        startOffset: async (_t: string, p: number) => stored.get(p) ?? 0,
        handleBatch: async (batch: PartitionBatch) => {
          seenBy[name].add(batch.partition);
          // The store is the truth: apply only what is past the stored offset (as the projector's lock does).
          const fresh = batch.records.filter((r) => r.offset >= (stored.get(batch.partition) ?? 0));
          applied.push(...fresh.map((r) => r.value!.toString()));
          stored.set(batch.partition, batch.records.at(-1)!.offset + 1);
        },
      });
      const a = await log.subscribe(member('a'));
      const b = await log.subscribe(member('b'));
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      // Rounds of 40 records until both members have read some: how soon the group rebalances onto
      // the second member depends on the machine's load, and a lone first member reads everything.
      let rounds = 0;
      const bothRead = Date.now() + 40_000;
      while (seenBy.a.size === 0 || seenBy.b.size === 0) {
        if (Date.now() > bothRead) throw new Error(`the group never shared partitions: a read ${[...seenBy.a]}, b read ${[...seenBy.b]}`);
        rounds++;
        await log.produce(t, keys.map((key) => ({ key, value: `first-${rounds}-${key}` })));
        await eventually(() => expect(applied.filter((v) => v.startsWith('first-'))).toHaveLength(40 * rounds), 40_000);
      }
      await a.stop();
      await log.produce(t, keys.map((key) => ({ key, value: `second-${key}` })));
      try {
        await eventually(() => expect(applied.filter((v) => v.startsWith('second-'))).toHaveLength(40), 40_000);
      } finally {
        await b.stop();
      }
      expect(new Set(applied).size).toBe(40 * rounds + 40);
    });

    it('stops only once the batch in flight has finished, then leaves the group, and says so', async () => {
      const t = await topic();
      await log.produce(t, [{ key: 'slow', value: 'first' }]);
      const events: MembershipEvent['kind'][] = [];
      let entered!: () => void;
      const inFlight = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let finished = false;
      const sub = await log.subscribe({
        groupId: `g-${randomBytes(4).toString('hex')}`,
        topics: [t],
        startOffset: async () => 0,
        handleBatch: async () => {
          entered();
          await released;
          finished = true;
        },
        onMembership: (event) => events.push(event.kind),
      });
      await inFlight;
      let stopped = false;
      const stopping = sub.stop().then(() => (stopped = true));
      // A shutdown's stop must not cut the batch short: its transaction would be left to the driver.
      await new Promise((r) => setTimeout(r, 300));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(finished).toBe(true);
      expect(events[0]).toBe('assigned');
      expect(events.at(-1)).toBe('left');
    });

    it('resumes a new subscription from the stored offsets after a stop', async () => {
      const t = await topic();
      const groupId = `g-${randomBytes(4).toString('hex')}`;
      const stored = new Map<number, number>();
      const seen: string[] = [];
      const options = {
        groupId,
        topics: [t],
        startOffset: async (_t: string, p: number) => stored.get(p) ?? 0,
        handleBatch: async (b: PartitionBatch) => {
          seen.push(...b.records.map((r) => r.value!.toString()));
          stored.set(b.partition, b.records.at(-1)!.offset + 1);
        },
      };
      await log.produce(t, [1, 2, 3].map((i) => ({ key: `k${i}`, value: String(i) })));
      let sub = await log.subscribe(options);
      await eventually(() => expect(seen.sort()).toEqual(['1', '2', '3']));
      await sub.stop();
      await log.produce(t, [4, 5].map((i) => ({ key: `k${i}`, value: String(i) })));
      sub = await log.subscribe(options);
      try {
        await eventually(() => expect(seen.sort()).toEqual(['1', '2', '3', '4', '5']));
      } finally {
        await sub.stop();
      }
    });

    it('acknowledges each of many concurrent produce calls, and keeps their order per partition', async () => {
      // Producers send as events happen: the Kafka adapter lingers and sends such calls in shared
      // requests; every call must still resolve only once its own record is in the log, in call order.
      const t = await topic();
      const keys = ['burst-a', 'burst-b', 'burst-c'];
      await Promise.all(Array.from({ length: 300 }, (_, i) => log.produce(t, [{ key: keys[i % 3]!, value: `v${i}` }])));
      const ends = await log.endOffsets(t);
      expect(ends.reduce((a, b) => a + b, 0)).toBe(300);
      const seen: LogRecord[] = [];
      await log.readRanges(t, ends.map((until, partition) => ({ partition, from: 0, until })), async (r) => void seen.push(...r));
      for (const key of keys) {
        const values = seen.filter((r) => r.key?.toString() === key).map((r) => Number(r.value!.toString().slice(1)));
        expect(values).toEqual(Array.from({ length: 100 }, (_, i) => i * 3 + keys.indexOf(key)));
      }
    });

    describe('when the records a partition needs are gone from the log (retention)', () => {
      const setUp = async (on: L) => {
        const t = `conformance.${randomBytes(4).toString('hex')}.v1`;
        await on.ensureTopics([{ name: t, partitions: PARTITIONS }]);
        const goneKey = 'gone';
        const gone = murmur2Partition(goneKey, PARTITIONS);
        const keptKey = Array.from({ length: 50 }, (_, i) => `kept-${i}`).find((k) => murmur2Partition(k, PARTITIONS) !== gone)!;
        await on.produce(t, [0, 1, 2].map((i) => ({ key: goneKey, value: `old-${i}` })));
        await on.produce(t, [{ key: keptKey, value: 'kept' }]);
        const earliest = await fixture.dropOldestRecords(on, t, gone, goneKey);
        expect(earliest).toBeGreaterThanOrEqual(3);
        const { batches, records, handleBatch } = collect();
        const gaps: RetentionGapEvent[] = [];
        const sub = await on.subscribe({
          groupId: `g-${randomBytes(4).toString('hex')}`,
          topics: [t],
          // A store that has applied nothing: it needs every partition from offset 0.
          startOffset: async () => 0,
          handleBatch,
          onMembership: (event) => {
            if (event.kind === 'retention-gap') gaps.push(event);
          },
        });
        return { t, gone, goneKey, earliest, batches, records, gaps, sub };
      };

      it('stops that partition with LOG_RETENTION_GAP naming topic, partition, needed and earliest offsets, and lets the others go on', async () => {
        const { t, gone, goneKey, earliest, batches, records, gaps, sub } = await setUp(log);
        try {
          await eventually(() => {
            expect(records().map((r) => r.value?.toString())).toContain('kept');
            expect(gaps).toHaveLength(1);
          }, 30_000);
          const [gap] = gaps;
          expect(gap).toMatchObject({ topic: t, partition: gone, neededOffset: 0, earliestOffset: earliest, accepted: false });
          expect(gap!.error.code).toBe(PlatformErrorCode.LogRetentionGap);
          expect(gap!.error.retriable).toBe(false);
          expect(gap!.error.message).toContain(`${t}/${gone} needs offset 0 but the log begins at ${earliest}`);
          // Stopped means stopped: neither what is left of it nor what comes later is delivered.
          await log.produce(t, [{ key: goneKey, value: 'later' }]);
          await new Promise((r) => setTimeout(r, 1500));
          expect(batches.filter((b) => b.partition === gone)).toEqual([]);
          expect(gaps).toHaveLength(1);
        } finally {
          await sub.stop();
        }
      });

      it('stops a partition that falls behind retention while it is consumed, at the record after the last one applied', async () => {
        // A projector that lags (a slow or stalled database) while retention deletes what it has
        // not read yet: the partition must not resume past the hole.
        const t = await topic();
        const key = 'lagging';
        const p = murmur2Partition(key, PARTITIONS);
        await log.produce(t, [0, 1, 2].map((i) => ({ key, value: `old-${i}` })));
        let entered!: () => void;
        const inFlight = new Promise<void>((resolve) => (entered = resolve));
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const applied: LogRecord[] = [];
        const gaps: RetentionGapEvent[] = [];
        const sub = await log.subscribe({
          groupId: `g-${randomBytes(4).toString('hex')}`,
          topics: [t],
          startOffset: async () => 0,
          // Batches of one: the Kafka adapter reads ahead of a slow handler only a bounded number
          // of batches (two), then stops fetching; the records past those are what retention takes.
          maxBatchSize: 1,
          handleBatch: async (batch) => {
            entered();
            await released;
            applied.push(...batch.records);
          },
          onMembership: (event) => {
            if (event.kind === 'retention-gap') gaps.push(event);
          },
        });
        try {
          await inFlight;
          const earliest = await fixture.dropOldestRecords(log, t, p, key);
          release();
          await eventually(() => expect(gaps).toHaveLength(1), 30_000);
          const last = applied.at(-1)!.offset;
          expect(gaps[0]).toMatchObject({ topic: t, partition: p, neededOffset: last + 1, earliestOffset: earliest, accepted: false });
          expect(earliest).toBeGreaterThan(last + 1);
          await new Promise((r) => setTimeout(r, 1000));
          expect(applied.map((r) => r.offset)).toEqual(applied.map((_, i) => i));
          expect(applied.every((r) => r.offset <= last)).toBe(true);
        } finally {
          release();
          await sub.stop();
        }
      });

      it('with EVENT_LOG_RETENTION_GAP=accept, goes on from the earliest record it still has and says what it skipped', async () => {
        const accepting = await fixture.open({ retentionGap: 'accept' });
        try {
          const { t, gone, earliest, records, gaps, sub } = await setUp(accepting);
          try {
            await eventually(() => {
              expect(records().map((r) => r.value?.toString())).toContain('kept');
              expect(records().some((r) => r.partition === gone)).toBe(true);
            }, 30_000);
            const offsets = records().filter((r) => r.partition === gone).map((r) => r.offset);
            expect(offsets[0]).toBe(earliest);
            expect(offsets).toEqual(offsets.map((_, i) => earliest + i));
            expect(gaps[0]).toMatchObject({ topic: t, partition: gone, neededOffset: 0, earliestOffset: earliest, accepted: true });
            expect(gaps[0]!.error.code).toBe(PlatformErrorCode.LogRetentionGap);
          } finally {
            await sub.stop();
          }
        } finally {
          await accepting.close();
        }
      });
    });
  });
}
