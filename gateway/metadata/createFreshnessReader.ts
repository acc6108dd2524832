import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';
import type { PartitionWatermark } from '../../platform/projection/index.js';
import { readWatermarks } from '../../platform/projection/index.js';

export type FreshnessStatus = 'FRESH' | 'STALE' | 'UNKNOWN';

/** How fresh one projection is now, judged against an SLA. Computed from watermarks, never guessed. */
export interface Freshness {
  projection: string;
  /** Greatest event time applied (business time the data reflects), ISO, or null before any event. */
  asOfEventTime: string | null;
  /** When the projector last committed (processing time), ISO, or null. */
  lastAppliedAt: string | null;
  /** Records in the log not yet applied, summed over partitions and topics. */
  lagEvents: number;
  /** 0 when caught up; else how long the oldest lagging partition has gone without applying. */
  lagMs: number;
  slaSeconds: number;
  status: FreshnessStatus;
  /** Why the status is UNKNOWN when the watermarks could not be read; absent otherwise. */
  unavailable?: string;
}

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
  read(projection: string, slaSeconds: number): Promise<Freshness>;
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
  const cached = new Map<string, { at: number; marks: Promise<PartitionWatermark[]> }>();
  // Cache age uses the monotonic clock: `now` is the clock freshness is judged by, which may jump.
  const marks = (projection: string): Promise<PartitionWatermark[]> => {
    const schemaName = schemaOfProjection.get(projection);
    if (schemaName === undefined) return Promise.resolve([]);
    let entry = cached.get(schemaName);
    if (!entry || performance.now() - entry.at > ttlMs) {
      const promise = readWatermarks(deps.db, schemaName, { log: deps.log });
      entry = { at: performance.now(), marks: promise };
      cached.set(schemaName, entry);
      promise.catch(() => cached.delete(schemaName));
    }
    return entry.marks;
  };
  return {
    async read(projection, slaSeconds) {
      let all: PartitionWatermark[];
      let timer: NodeJS.Timeout | undefined;
      try {
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WatermarksTimeout(readTimeoutMs)), readTimeoutMs);
        });
        all = await Promise.race([marks(projection), deadline]);
      } catch (error) {
        // Unknown is the honest answer; the response itself must not fail or wait because of it.
        const reason = error instanceof WatermarksTimeout ? error.message : 'watermarks could not be read';
        logger.warn({ component: 'freshness', projection, reason, ...(error instanceof WatermarksTimeout ? {} : { err: error }) }, 'freshness unknown');
        return { projection, asOfEventTime: null, lastAppliedAt: null, lagEvents: 0, lagMs: 0, slaSeconds, status: 'UNKNOWN', unavailable: reason };
      } finally {
        clearTimeout(timer);
      }
      const rows = all.filter((m) => m.projection === projection);
      const t = now();
      const lagging = rows.filter((m) => m.lagRecords > 0);
      const lagEvents = lagging.reduce((sum, m) => sum + m.lagRecords, 0);
      const applied = rows.map((m) => m.lastAppliedAt?.getTime()).filter((x): x is number => x !== undefined);
      const eventTimes = rows.map((m) => m.maxEventTime?.getTime()).filter((x): x is number => x !== undefined);
      const stalledSince = lagging.map((m) => m.lastAppliedAt?.getTime() ?? Math.min(...(applied.length ? applied : [t])));
      const lagMs = lagging.length === 0 ? 0 : Math.max(0, t - Math.min(...stalledSince));
      const status: FreshnessStatus = rows.length === 0 || (applied.length === 0 && lagEvents === 0) ? 'UNKNOWN' : lagMs > slaSeconds * 1000 ? 'STALE' : 'FRESH';
      return {
        projection,
        asOfEventTime: eventTimes.length ? new Date(Math.max(...eventTimes)).toISOString() : null,
        lastAppliedAt: applied.length ? new Date(Math.max(...applied)).toISOString() : null,
        lagEvents,
        lagMs,
        slaSeconds,
        status,
      };
    },
  };
}

class WatermarksTimeout extends Error {
  constructor(ms: number) {
    super(`watermarks did not answer within ${ms} ms`);
  }
}
