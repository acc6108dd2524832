import type { Database } from '../../platform/database/index.js';
import { migrateExclusively, quoteIdent } from '../../platform/database/index.js';
import type { FreshnessMeasure } from './Freshness.js';

/** One projection's freshness at one minute: the measure, without a verdict (each contract judges it by its own terms). */
export interface FreshnessSample {
  projection: string;
  /** The minute sampled (UTC, seconds zero), ISO. */
  sampledAt: string;
  asOfEventTime: string | null;
  lastAppliedAt: string | null;
  lagEvents: number;
  lagMs: number;
  dataAgeMs: number | null;
  /** Why the watermarks could not be read at that minute; absent when they were. */
  unavailable?: string;
}

export interface FreshnessHistoryOptions {
  /** Postgres schema of the `freshness_samples` table. Default `gateway`: the gateway's own, beside its audit log. */
  schema?: string;
  /** How long samples are kept. Default 24 h: a day's chart; older rows are deleted as new ones are written. */
  retentionMs?: number;
  /** Clock for retention. Default Date.now. */
  now?: () => number;
}

export interface FreshnessHistory {
  /** Creates the table (idempotent). */
  migrate(): Promise<void>;
  /**
   * Keeps one sample per projection and minute (the first written wins, so replicas sampling the
   * same minute add nothing), and drops those older than the retention.
   */
  record(measures: readonly FreshnessMeasure[]): Promise<void>;
  /** Samples of `projection` since `sinceMs` (epoch ms), oldest first. */
  read(projection: string, sinceMs: number): Promise<FreshnessSample[]>;
}

/** The table, qualified. One owner of the name: the history, its migration and its tests use this. */
export function freshnessSamplesTable(schema: string): string {
  return `${quoteIdent(schema)}.${quoteIdent('freshness_samples')}`;
}

const MINUTE_MS = 60_000;

/**
 * Freshness history in a small table: at most one row per projection and minute for 24 h
 * (~1,440 rows per projection). A table rather than the cache because the history must outlive
 * any one gateway process and be the same for every replica (Redis is optional; the in-memory
 * cache is per process), it sits beside the watermarks it samples, and a chart's range read is an
 * index scan on (projection, sampled_at).
 */
export function createFreshnessHistory(db: Database, options: FreshnessHistoryOptions = {}): FreshnessHistory {
  const schema = options.schema ?? 'gateway';
  const table = freshnessSamplesTable(schema);
  const retentionMs = options.retentionMs ?? 24 * 3_600_000;
  const now = options.now ?? Date.now;
  return {
    // Gateway replicas start together: their migrations of the schema take turns (migrateExclusively).
    migrate: () =>
      migrateExclusively(db, schema, async (tx) => {
        await tx.query(`create schema if not exists ${quoteIdent(schema)}`);
        await tx.query(`create table if not exists ${table} (
        projection text not null,
        sampled_at timestamptz not null,
        as_of_event_time timestamptz,
        last_applied_at timestamptz,
        lag_events bigint not null,
        lag_ms bigint not null,
        data_age_ms bigint,
        unavailable text,
        primary key (projection, sampled_at))`);
      }),
    async record(measures) {
      if (measures.length === 0) return;
      const minute = (iso: string) => new Date(Math.floor(Date.parse(iso) / MINUTE_MS) * MINUTE_MS).toISOString();
      await db.query(
        `insert into ${table} (projection, sampled_at, as_of_event_time, last_applied_at, lag_events, lag_ms, data_age_ms, unavailable)
         select * from unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[])
         on conflict (projection, sampled_at) do nothing`,
        [
          measures.map((m) => m.projection),
          measures.map((m) => minute(m.measuredAt)),
          measures.map((m) => m.asOfEventTime),
          measures.map((m) => m.lastAppliedAt),
          measures.map((m) => m.lagEvents),
          measures.map((m) => Math.round(m.lagMs)),
          measures.map((m) => (m.dataAgeMs === null ? null : Math.round(m.dataAgeMs))),
          measures.map((m) => m.unavailable ?? null),
        ],
      );
      await db.query(`delete from ${table} where sampled_at < $1`, [new Date(now() - retentionMs)]);
    },
    async read(projection, sinceMs) {
      const { rows } = await db.query<{ sampled_at: Date; as_of_event_time: Date | null; last_applied_at: Date | null; lag_events: string; lag_ms: string; data_age_ms: string | null; unavailable: string | null }>(
        `select sampled_at, as_of_event_time, last_applied_at, lag_events, lag_ms, data_age_ms, unavailable from ${table} where projection = $1 and sampled_at >= $2 order by sampled_at`,
        [projection, new Date(Math.max(sinceMs, now() - retentionMs))],
      );
      return rows.map((r) => ({
        projection,
        sampledAt: r.sampled_at.toISOString(),
        asOfEventTime: r.as_of_event_time?.toISOString() ?? null,
        lastAppliedAt: r.last_applied_at?.toISOString() ?? null,
        lagEvents: Number(r.lag_events),
        lagMs: Number(r.lag_ms),
        dataAgeMs: r.data_age_ms === null ? null : Number(r.data_age_ms),
        ...(r.unavailable === null ? {} : { unavailable: r.unavailable }),
      }));
    },
  };
}
