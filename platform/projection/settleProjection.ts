import type { Database, Queryable } from '../database/index.js';
import type { EventLog } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import { eventTimeWatermark } from './eventTimeWatermark.js';
import type { Projection, TableNames } from './Projection.js';
import { contextTables, countProjectionChange } from './projectionStorage.js';
import { readWatermarks } from './readWatermarks.js';

export interface SettleOptions {
  /** Postgres schema of the context. */
  schema: string;
  /**
   * How far behind the slowest input partition the watermark stays, so late events still count
   * on time. Absent: settle at the watermark already stored, without computing a new one (after a
   * re-drive, which brings no new event time).
   */
  allowedLatenessMs?: number;
  /** For the live log-end offsets that tell a caught-up (idle) partition from a busy one. */
  log?: EventLog;
  /** Aggregates per transaction. Default 500. */
  limit?: number;
  /**
   * Wait for aggregates another settler holds, and settle them again after it (default false:
   * leave them to it). For callers that need everything settled when this returns (tests, the CLI).
   */
  wait?: boolean;
}

export interface SettleReport {
  /** The watermark settled at (never lower than one settled at before), or null before any event time. */
  watermark: Date | null;
  settled: number;
}

/**
 * Settles a projection that has a `settlement` at the context's event-time watermark: computes
 * the watermark from the projection's checkpoints, stores it (monotonic: it never goes back,
 * even when a partition that was idle wakes up), then lets the projection decide what the passing
 * of event time decides, in transactions of `limit` aggregates, until nothing is due.
 */
export async function settleProjection<E extends EventEnvelope, S>(deps: { db: Database }, projection: Projection<E, S>, tables: TableNames, options: SettleOptions): Promise<SettleReport> {
  const { settlement } = projection;
  if (!settlement) return { watermark: null, settled: 0 };
  let watermark: Date | null;
  if (options.allowedLatenessMs === undefined) watermark = await readSettledWatermark(deps.db, options.schema, projection.name);
  else {
    const progress = await readWatermarks(deps.db, options.schema, { log: options.log, projection: projection.name });
    const computed = eventTimeWatermark(progress, options.allowedLatenessMs);
    watermark = await deps.db.transaction(async (tx) => {
      const before = await readSettledWatermark(tx, options.schema, projection.name);
      const stored = await storeWatermark(tx, options.schema, projection.name, computed);
      // The stored watermark is read by contracts (a reconciliation's `watermark`): a move is a change.
      if (stored?.getTime() !== before?.getTime()) await countProjectionChange(tx, options.schema, projection.name);
      return stored;
    });
  }
  if (!watermark) return { watermark: null, settled: 0 };
  const limit = options.limit ?? 500;
  let settled = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      const settledNow = await settlement.settle(tx, tables, watermark, { limit, skipLocked: options.wait !== true });
      // Last in the transaction: concurrent settlers wait for this row only at their commit.
      if (settledNow > 0) await countProjectionChange(tx, options.schema, projection.name);
      return settledNow;
    });
    settled += n;
    if (n < limit) return { watermark, settled };
  }
}

/** The watermark a projection was last settled at, or null. */
export async function readSettledWatermark(db: Queryable, schema: string, projectionName: string): Promise<Date | null> {
  const { rows } = await db.query<{ watermark: Date | null }>(`select watermark from ${contextTables(schema).settlements} where projection = $1`, [projectionName]);
  return rows[0]?.watermark ?? null;
}

async function storeWatermark(db: Queryable, schema: string, projectionName: string, computed: Date | null): Promise<Date | null> {
  const { settlements } = contextTables(schema);
  // greatest() ignores nulls: a watermark that cannot be computed now keeps the stored one.
  const { rows } = await db.query<{ watermark: Date | null }>(
    `insert into ${settlements} (projection, watermark, settled_at) values ($1, $2, now())
     on conflict (projection) do update set watermark = greatest(${settlements}.watermark, excluded.watermark), settled_at = now()
     returning watermark`,
    [projectionName, computed],
  );
  return rows[0]?.watermark ?? null;
}

/**
 * Runs `settle` one at a time: a request while one runs asks for one more run after it (batches
 * commit faster than settling takes, and each run already sees every commit before it started).
 */
export function createSingleFlight(run: () => Promise<void>, options: { minGapMs?: number } = {}): { request(): Promise<void>; idle(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const gap = options.minGapMs ?? 0;
  return {
    request() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        // Yield first: `running` is assigned only once this function returns its promise, and a
        // request made synchronously by `run` must find it set.
        await Promise.resolve();
        try {
          for (;;) {
            again = false;
            await run();
            if (!again) break;
            // Under a steady stream every batch asks again: coalesce them, so settling (and its
            // log-end lookups) runs a few times a second at most, not once per batch.
            if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
          }
        } finally {
          running = null;
        }
      })();
      return running;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
