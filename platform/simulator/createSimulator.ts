import type { Prng } from './createPrng.js';
import { createPrng } from './createPrng.js';
import type { SimulatedRecord } from './SimulatedRecord.js';

/** Probabilities per record (or per story for `gapRate`, scaled by its envelope records). All default to 0. */
export interface SimulatorFaults {
  /** A record is delivered again a few records later (at-least-once producers). */
  duplicateRate: number;
  /** An envelope record swaps places with the next record of its aggregate on its topic. */
  reorderRate: number;
  /** An envelope record arrives late: held back behind up to `lateBy` later records, published late. */
  lateRate: number;
  /** An extra poison record (the story writer decides what its topic's poison looks like) is injected. */
  malformedRate: number;
  /** An envelope record (never an aggregate's first) is lost for good: the gap never fills. */
  gapRate: number;
}

export interface SimulatorOptions {
  /** Default 42. */
  seed?: number;
  faults?: Partial<SimulatorFaults>;
  /** Event time of the first story, epoch ms. Default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Event-time spacing between stories. Default 1000 ms. */
  storyIntervalMs?: number;
  /** Maximum records a late record is held back. Default 50 (keep it below the gap bound). */
  lateBy?: number;
  /** Number of the first story (default 1): two simulators on the same topics must not reuse each other's business keys. */
  firstStory?: number;
}

export interface SimulatorStats {
  stories: number;
  records: number;
  duplicates: number;
  reordered: number;
  late: number;
  malformed: number;
  /** Envelope records dropped, and how many later records of the same aggregates they strand. */
  dropped: number;
  stranded: number;
}

/** One business story (an order's journey, say) and the records its producers publish for it. */
export interface SimulatedStory<H> {
  history: H;
  /** Each aggregate's records in its producer's order, `at` = event time. */
  records: SimulatedRecord[];
}

/**
 * What a simulation knows of its business, given to the generic machinery here: how to write the
 * next story and what a poison record on each of its topics looks like.
 */
export interface StoryWriter<H> {
  /**
   * The `index`-th story (from 1), starting at event time `at`. The business history must come
   * from `prngs.history` only and the way it is published from `prngs.publish`, so two ways of
   * publishing the same seed's histories can be compared story for story.
   */
  write(index: number, at: number, prngs: { history: Prng; publish: Prng }): SimulatedStory<H>;
  /** Topics whose records carry the domain envelope: only these are reordered, delivered late or lost. */
  envelopeTopics: readonly string[];
  /** An extra record near `near`, breaking its topic's producer contract the way real producers do. */
  poison(near: SimulatedRecord, prng: Prng): SimulatedRecord;
}

export interface Simulator<H> {
  /** The next `count` stories' records, interleaved by event time, with faults applied. */
  next(count: number): { records: SimulatedRecord[]; histories: H[] };
  readonly stats: SimulatorStats;
  /** Event time at which the latest story written so far started, epoch ms. */
  readonly clock: number;
}

/** Deterministic producer traffic: the writer's stories, interleaved by event time, with delivery faults. */
export function createSimulator<H>(writer: StoryWriter<H>, options: SimulatorOptions = {}): Simulator<H> {
  // Separate streams: the business histories depend on the seed only, never on how they are
  // published or which faults are on, so two paths can be compared story for story.
  const historyPrng = createPrng(options.seed ?? 42);
  const prng = createPrng(((options.seed ?? 42) ^ 0x5eed5eed) >>> 0);
  const faults: SimulatorFaults = { duplicateRate: 0, reorderRate: 0, lateRate: 0, malformedRate: 0, gapRate: 0, ...options.faults };
  const intervalMs = options.storyIntervalMs ?? 1000;
  const lateBy = options.lateBy ?? 50;
  const envelopeTopics = new Set(writer.envelopeTopics);
  const stats: SimulatorStats = { stories: 0, records: 0, duplicates: 0, reordered: 0, late: 0, malformed: 0, dropped: 0, stranded: 0 };
  let clock = options.startTime ?? Date.UTC(2026, 0, 1);

  return {
    stats,
    get clock() {
      return clock;
    },
    next(count) {
      const histories: H[] = [];
      let records: SimulatedRecord[] = [];
      for (let i = 0; i < count; i++) {
        clock += historyPrng.int(Math.ceil(intervalMs / 2), Math.ceil(intervalMs * 1.5));
        const story = writer.write((options.firstStory ?? 1) + stats.stories++, clock, { history: historyPrng, publish: prng });
        histories.push(story.history);
        records.push(...loseOne(story.records, envelopeTopics, faults.gapRate, prng, stats));
      }
      // Interleave stories by event time; a stable sort keeps each aggregate's records in order.
      records.sort((a, b) => a.at - b.at);
      records = applyDeliveryFaults(records, writer, envelopeTopics, faults, prng, lateBy, stats);
      stats.records += records.length;
      return { records, histories };
    },
  };
}

/** The gap fault: one envelope record of the story, never the first of its aggregate, is lost. */
function loseOne(records: SimulatedRecord[], envelopeTopics: ReadonlySet<string>, gapRate: number, prng: Prng, stats: SimulatorStats): SimulatedRecord[] {
  const seen = new Set<string>();
  const droppable: number[] = [];
  records.forEach((r, index) => {
    if (!envelopeTopics.has(r.topic)) return;
    const aggregate = `${r.topic}\u0000${r.key}`;
    if (seen.has(aggregate)) droppable.push(index);
    seen.add(aggregate);
  });
  const envelopeCount = records.filter((r) => envelopeTopics.has(r.topic)).length;
  if (gapRate <= 0 || droppable.length === 0 || !prng.chance(gapRate * envelopeCount)) return records;
  const lost = droppable[prng.int(0, droppable.length - 1)]!;
  const { topic, key } = records[lost]!;
  stats.dropped++;
  stats.stranded += records.filter((r, index) => index > lost && r.topic === topic && r.key === key).length;
  return records.filter((_, index) => index !== lost);
}

function applyDeliveryFaults(input: SimulatedRecord[], writer: StoryWriter<unknown>, envelopeTopics: ReadonlySet<string>, faults: SimulatorFaults, prng: Prng, lateBy: number, stats: SimulatorStats): SimulatedRecord[] {
  const records = [...input];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (!envelopeTopics.has(record.topic)) continue;
    if (prng.chance(faults.reorderRate)) {
      const next = records.findIndex((r, j) => j > i && r.key === record.key && r.topic === record.topic);
      if (next > 0) {
        // Swap the payloads, keep the delivery times: `at` stays non-decreasing in delivery order.
        records[i] = { ...records[next]!, at: record.at };
        records[next] = { ...record, at: records[next]!.at };
        stats.reordered++;
      }
    } else if (prng.chance(faults.lateRate)) {
      const target = Math.min(records.length - 1, i + prng.int(1, lateBy));
      const parsed = JSON.parse(record.value!) as { occurredAt: string; producedAt: string };
      parsed.producedAt = new Date(Date.parse(parsed.occurredAt) + 15 * 60_000).toISOString();
      records.splice(i, 1);
      records.splice(target, 0, { ...record, value: JSON.stringify(parsed), at: records[target - 1]?.at ?? record.at });
      stats.late++;
    }
  }
  const out: SimulatedRecord[] = [];
  const pendingDuplicates: Array<{ at: number; record: SimulatedRecord }> = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    out.push(record);
    if (prng.chance(faults.duplicateRate)) {
      pendingDuplicates.push({ at: i + prng.int(1, 20), record });
      stats.duplicates++;
    }
    for (const d of pendingDuplicates.filter((p) => p.at === i)) out.push({ ...d.record, at: record.at });
    if (prng.chance(faults.malformedRate)) {
      out.push(writer.poison(record, prng));
      stats.malformed++;
    }
  }
  for (const d of pendingDuplicates.filter((p) => p.at >= records.length)) out.push({ ...d.record, at: records[records.length - 1]?.at ?? d.record.at });
  return out;
}
