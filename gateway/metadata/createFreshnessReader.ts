import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';
import type { PartitionWatermark } from '../../platform/projection/index.js';
import { readWatermarks } from '../../platform/projection/index.js';
import type { Freshness, FreshnessMeasure, FreshnessTerms } from './Freshness.js';
import { judgeFreshness } from './judgeFreshness.js';

export interface FreshnessReaderOptions {
  /** Watermarks are re-read at most this often. Default 1000 ms: one query per second, not per request. */
  ttlMs?: number;
  /** Clock. Default Date.now. */
  now?: () => number;
  /**
   * How long a response waits for the watermarks before it says UNKNOWN (with the reason) and is
   * served anyway. Default 500 ms: a locked or slow watermark table must never hold a response.
   */
  readTimeoutMs?: number;
  /** Where an unreadable watermark is warned about. Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface FreshnessReader {
  /** The projection's freshness now, before any SLA: what the history samples. */
  measure(projection: string): Promise<FreshnessMeasure>;
  /** The projection's freshness now, judged against `terms`. */
  read(projection: string, terms: FreshnessTerms | number): Promise<Freshness>;
  /**
   * What the projection's rows are at, from the same watermark read as its freshness: every
   * partition's next offset and the count of changes made outside batches (see
   * PartitionWatermark.changeSeq). It moves on every applied change (a late event too, whose event
   * time moves no `asOfEventTime`). Null when it cannot be known (watermarks unreadable, or a
   * schema whose projector predates the change count).
   */
  version(projection: string): Promise<string | null>;
  /**
   * This reader pinned to one read of the watermarks for as long as `request` lives (one object
   * per request, e.g. its context value): the freshness a response reports and the versions a
   * response cache checks then come from the same read.
   */
  forRequest(request: object): FreshnessReader;
}

/**
 * Reads freshness from the watermarks of the schema each projection lives in (`schemaOfProjection`:
 * projection name → Postgres schema of its context), one read per schema per `ttlMs`.
 */
export function createFreshnessReader(deps: { db: Database; log: EventLog }, schemaOfProjection: ReadonlyMap<string, string>, options: FreshnessReaderOptions = {}): FreshnessReader {
  const ttlMs = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const readTimeoutMs = options.readTimeoutMs ?? 500;
  const logger = options.logger ?? defaultLogger();
  const cached = new Map<string, { at: number; marks: Promise<PartitionWatermark[]>; read?: PartitionWatermark[] }>();
  const none: PartitionWatermark[] = [];
  // Cache age uses the monotonic clock: `now` is the clock freshness is judged by, which may jump.
  // The rows themselves once read: every response until the next read uses them without a wait (see rowsOf).
  const marks = (projection: string): Marks => {
    const schemaName = schemaOfProjection.get(projection);
    if (schemaName === undefined) return none;
    let entry = cached.get(schemaName);
    if (!entry || performance.now() - entry.at > ttlMs) {
      const promise = readWatermarks(deps.db, schemaName, { log: deps.log });
      const fresh: { at: number; marks: Promise<PartitionWatermark[]>; read?: PartitionWatermark[] } = { at: performance.now(), marks: promise };
      entry = fresh;
      cached.set(schemaName, fresh);
      promise.then(
        (rows) => (fresh.read = rows),
        () => cached.delete(schemaName),
      );
    }
    return entry.read ?? entry.marks;
  };
  // Warned once per outage, not per response: a database that is down would otherwise log a line per request.
  let unreadable = false;
  /** All watermark rows of the projection's schema (from `read`), or why they could not be read. */
  const rowsOf = async (read: (projection: string) => Marks, projection: string): Promise<PartitionWatermark[] | { unavailable: string }> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const marksNow = read(projection);
      // Rows already read cannot time out: no timer and no race for them (most responses, within the TTL).
      if (Array.isArray(marksNow)) {
        if (unreadable) logger.info({ component: 'freshness' }, 'freshness known again: the watermarks can be read');
        unreadable = false;
        return marksNow;
      }
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WatermarksTimeout(readTimeoutMs)), readTimeoutMs);
      });
      const all = await Promise.race([marksNow, deadline]);
      if (unreadable) logger.info({ component: 'freshness' }, 'freshness known again: the watermarks can be read');
      unreadable = false;
      return all;
    } catch (error) {
      // Unknown is the honest answer; the response itself must not fail or wait because of it.
      const reason = error instanceof WatermarksTimeout ? error.message : 'watermarks could not be read';
      if (!unreadable) logger.warn({ component: 'freshness', projection, reason, ...(error instanceof WatermarksTimeout ? {} : { err: error }) }, 'freshness unknown until the watermarks can be read again');
      unreadable = true;
      return { unavailable: reason };
    } finally {
      clearTimeout(timer);
    }
  };
  const readerOver = (read: (projection: string) => Marks): FreshnessReader => {
    const measure = async (projection: string): Promise<FreshnessMeasure> => {
      const all = await rowsOf(read, projection);
      if ('unavailable' in all) return { projection, measuredAt: new Date(now()).toISOString(), asOfEventTime: null, lastAppliedAt: null, lagEvents: 0, lagMs: 0, dataAgeMs: null, sources: [], unavailable: all.unavailable };
      return measureWatermarks(projection, rowsOfProjection(all, projection), now());
    };
    return {
      measure,
      async read(projection, terms) {
        return judgeFreshness(await measure(projection), terms);
      },
      async version(projection) {
        if (!schemaOfProjection.has(projection)) return null;
        const all = await rowsOf(read, projection);
        return 'unavailable' in all ? null : versionOf(all.filter((m) => m.projection === projection));
      },
      forRequest(request) {
        let reader = pinned.get(request);
        if (!reader) {
          // One read per schema for this request, whatever the TTL says in between.
          const reads = new Map<string, Marks>();
          reader = readerOver((projection) => {
            const schemaName = schemaOfProjection.get(projection) ?? '';
            let promise = reads.get(schemaName);
            if (!promise) reads.set(schemaName, (promise = marks(projection)));
            return promise;
          });
          pinned.set(request, reader);
        }
        return reader;
      },
    };
  };
  const pinned = new WeakMap<object, FreshnessReader>();
  return readerOver(marks);
}

/** Every partition's resume point and the count of changes outside batches; null when the schema predates that count. */
function versionOf(rows: readonly PartitionWatermark[]): string | null {
  if (rows.some((m) => m.changeSeq === null)) return null;
  return `${rows.map((m) => `${m.topic}/${m.partition}@${m.nextOffset}`).join(',')}#${rows[0]?.changeSeq ?? 0}`;
}

/** Watermark rows as read, or (a read still under way) their promise. */
type Marks = PartitionWatermark[] | Promise<PartitionWatermark[]>;

/** What a projection's rows say whatever the time: worked out once per read of the watermarks, not per response. */
interface RowsSummary {
  rows: readonly PartitionWatermark[];
  lagEvents: number;
  /** Since when the lagging partitions stalled (the earliest); null when none lags. */
  stalledSince: number | null;
  newestApplied: number | null;
  asOf: number | null;
  sources: ReadonlyArray<{ topic: string; newest: number | null }>;
}

const summaries = new WeakMap<readonly PartitionWatermark[], Map<string, RowsSummary>>();

/** The projection's rows among all of its schema's, summarised; remembered per read (the same array until the next). */
function rowsOfProjection(all: readonly PartitionWatermark[], projection: string): RowsSummary {
  let perProjection = summaries.get(all);
  if (!perProjection) summaries.set(all, (perProjection = new Map()));
  let summary = perProjection.get(projection);
  if (!summary) perProjection.set(projection, (summary = summarise(all.filter((m) => m.projection === projection))));
  return summary;
}

function summarise(rows: readonly PartitionWatermark[]): RowsSummary {
  const lagging = rows.filter((m) => m.lagRecords > 0);
  const applied = rows.map((m) => m.lastAppliedAt?.getTime()).filter((x): x is number => x !== undefined);
  const newest = (marks: readonly PartitionWatermark[]) => {
    const times = marks.map((m) => m.maxEventTime?.getTime()).filter((x): x is number => x !== undefined);
    return times.length ? Math.max(...times) : null;
  };
  return {
    rows,
    lagEvents: lagging.reduce((sum, m) => sum + m.lagRecords, 0),
    // A lagging partition that never applied stalled when the projection last applied anything (else: now, see measureWatermarks).
    stalledSince: lagging.length === 0 ? null : Math.min(...lagging.map((m) => m.lastAppliedAt?.getTime() ?? (applied.length ? Math.min(...applied) : Number.POSITIVE_INFINITY))),
    newestApplied: applied.length ? Math.max(...applied) : null,
    asOf: newest(rows),
    sources: [...new Set(rows.map((m) => m.topic))].map((topic) => ({ topic, newest: newest(rows.filter((m) => m.topic === topic)) })),
  };
}

/** The measure of one projection's watermark rows at time `t`. */
function measureWatermarks(projection: string, summary: RowsSummary, t: number): FreshnessMeasure {
  // Event time comes from producers' clocks: a fact "from the future" is zero seconds old, not negative.
  const age = (time: number | null) => (time === null ? null : Math.max(0, t - time));
  const { asOf } = summary;
  return {
    projection,
    measuredAt: new Date(t).toISOString(),
    asOfEventTime: asOf === null ? null : new Date(asOf).toISOString(),
    lastAppliedAt: summary.newestApplied === null ? null : new Date(summary.newestApplied).toISOString(),
    lagEvents: summary.lagEvents,
    // Lagging partitions, none of which (nor any other) ever applied: stalled since `t`, as before.
    lagMs: summary.stalledSince === null ? 0 : Math.max(0, t - Math.min(summary.stalledSince, t)),
    dataAgeMs: age(asOf),
    sources: summary.sources.map(({ topic, newest }) => ({ topic, newestEventTime: newest === null ? null : new Date(newest).toISOString(), silentForMs: age(newest) })),
  };
}

class WatermarksTimeout extends Error {
  constructor(ms: number) {
    super(`watermarks did not answer within ${ms} ms`);
  }
}
