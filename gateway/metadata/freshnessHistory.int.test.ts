import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../../platform/database/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import type { FreshnessHistory } from './createFreshnessHistory.js';
import { createFreshnessHistory, freshnessSamplesTable } from './createFreshnessHistory.js';
import type { FreshnessReader } from './createFreshnessReader.js';
import type { FreshnessMeasure } from './Freshness.js';
import { judgeFreshness } from './judgeFreshness.js';
import { startFreshnessSampler } from './startFreshnessSampler.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 2, 8, 0, 10);
const measure = (projection: string, at: number, overrides: Partial<FreshnessMeasure> = {}): FreshnessMeasure => ({
  projection,
  measuredAt: new Date(at).toISOString(),
  asOfEventTime: new Date(at - 20_000).toISOString(),
  lastAppliedAt: new Date(at - 1_000).toISOString(),
  lagEvents: 0,
  lagMs: 0,
  dataAgeMs: 20_000,
  sources: [],
  ...overrides,
});

describe.each(bothDatabases)('freshness history on %s', (_name, open) => {
  let db: Database;
  const schema = uniqueName('freshness_history');
  const clock = { now: START };
  let history: FreshnessHistory;
  const rows = async () => (await db.query<{ n: number }>(`select count(*)::int as n from ${freshnessSamplesTable(schema)}`)).rows[0]!.n;

  beforeAll(async () => {
    db = await open();
    history = createFreshnessHistory(db, { schema, now: () => clock.now });
    await history.migrate();
    await history.migrate(); // idempotent
  });
  afterAll(async () => {
    await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await db.close();
  });

  it('keeps one sample per projection and minute, the first written, oldest first', async () => {
    await history.record([measure('order_timeline', START), measure('payment_attempts', START, { lagEvents: 3, lagMs: 4_000 })]);
    // A second replica sampling the same minute adds nothing.
    await history.record([measure('order_timeline', START + 30_000, { lagEvents: 99, lagMs: 99_000 })]);
    await history.record([measure('order_timeline', START + MINUTE, { dataAgeMs: 95_000, asOfEventTime: new Date(START + MINUTE - 95_000).toISOString() })]);
    const samples = await history.read('order_timeline', START - MINUTE);
    expect(samples).toEqual([
      { projection: 'order_timeline', sampledAt: '2026-11-02T08:00:00.000Z', asOfEventTime: new Date(START - 20_000).toISOString(), lastAppliedAt: new Date(START - 1_000).toISOString(), lagEvents: 0, lagMs: 0, dataAgeMs: 20_000 },
      expect.objectContaining({ sampledAt: '2026-11-02T08:01:00.000Z', dataAgeMs: 95_000 }),
    ]);
    expect(await history.read('payment_attempts', START - MINUTE)).toEqual([expect.objectContaining({ lagEvents: 3, lagMs: 4_000 })]);
    expect((await history.read('order_timeline', START)).map((s) => s.sampledAt)).toEqual(['2026-11-02T08:01:00.000Z']);
    // Each contract judges the same samples by its own terms.
    expect(samples.map((s) => judgeFreshness(s, { freshnessSlaSeconds: 60 }).status)).toEqual(['FRESH', 'FRESH']);
    expect(samples.map((s) => judgeFreshness(s, { freshnessSlaSeconds: 60, freshnessBinds: 'DATA_AGE', maxSourceSilenceSeconds: 90 }).status)).toEqual(['FRESH', 'STALE']);
  });

  it('keeps a minute whose watermarks could not be read as such: UNKNOWN, with the reason', async () => {
    clock.now = START + 5 * MINUTE;
    await history.record([measure('shipment_tracking', clock.now, { asOfEventTime: null, lastAppliedAt: null, dataAgeMs: null, unavailable: 'watermarks did not answer within 500 ms' })]);
    const [sample] = await history.read('shipment_tracking', START);
    expect(sample).toMatchObject({ lastAppliedAt: null, dataAgeMs: null, unavailable: 'watermarks did not answer within 500 ms' });
    expect(judgeFreshness(sample!, { freshnessSlaSeconds: 60 }).status).toBe('UNKNOWN');
  });

  it('stays bounded: a day of minutes per projection, older samples deleted as new ones arrive', async () => {
    const projection = 'bounded';
    for (let minute = 0; minute < 26 * 60; minute += 1) {
      clock.now = START + minute * MINUTE;
      await history.record([measure(projection, clock.now)]);
    }
    const kept = await history.read(projection, 0);
    expect(kept.length).toBeGreaterThanOrEqual(24 * 60 - 1);
    expect(kept.length).toBeLessThanOrEqual(24 * 60 + 1);
    expect(Date.parse(kept[0]!.sampledAt)).toBeGreaterThanOrEqual(clock.now - 24 * 3_600_000 - MINUTE);
    expect(await rows()).toBeLessThanOrEqual(24 * 60 + 1 + 10);
  });

  it('is filled by a sampler: once at start, then once per interval, every projection; a failing write is warned about, not thrown', async () => {
    const sampled: string[] = [];
    let t = START + 40 * 3_600_000;
    const reader: Pick<FreshnessReader, 'measure' | 'read'> = {
      measure: async (projection) => {
        sampled.push(projection);
        return measure(projection, t);
      },
      read: async () => {
        throw new Error('the sampler only measures');
      },
    };
    clock.now = t;
    const sampler = startFreshnessSampler({ reader, history }, ['sampled_a', 'sampled_b'], { intervalMs: 50 });
    await new Promise((r) => setTimeout(r, 20));
    t += MINUTE;
    clock.now = t;
    await new Promise((r) => setTimeout(r, 120));
    await sampler.stop();
    expect(new Set(sampled)).toEqual(new Set(['sampled_a', 'sampled_b']));
    expect((await history.read('sampled_a', START)).map((s) => s.sampledAt)).toEqual([new Date(Math.floor((START + 40 * 3_600_000) / MINUTE) * MINUTE).toISOString(), new Date(Math.floor(t / MINUTE) * MINUTE).toISOString()]);

    const warnings: string[] = [];
    const broken = createFreshnessHistory(db, { schema: uniqueName('no_such_schema') }); // never migrated
    const failing = startFreshnessSampler({ reader, history: broken }, ['sampled_a'], { intervalMs: 1_000, warn: (m) => warnings.push(m) });
    await failing.stop();
    expect(warnings).toEqual([expect.stringMatching(/^freshness history: a sample could not be written \(.*does not exist.*\); the next one is due in 1000 ms$/)]);
  });
});

// Gateway replicas start together (docker-compose runs two): their first migrations of the
// history ran at the same moment, and concurrent `create table if not exists` statements collide
// in PostgreSQL's catalog (23505, or 42710 on the table's row type), failing a start.
describe('freshness history migrations from replicas starting together, on PostgreSQL', () => {
  it('create the table once, every time, and fail no start', async () => {
    const schemas = Array.from({ length: 60 }, () => uniqueName('freshness_race'));
    const handles: Database[] = [];
    try {
      for (let i = 0; i < 4; i++) handles.push(await createPostgresDatabase(postgresUrl()));
      for (const schema of schemas) await Promise.all(handles.map((handle) => createFreshnessHistory(handle, { schema }).migrate()));
      for (const schema of schemas) {
        const { rows } = await handles[0]!.query<{ n: number }>(`select count(*)::int as n from ${freshnessSamplesTable(schema)}`);
        expect(rows[0]!.n).toBe(0);
      }
    } finally {
      for (const schema of schemas) await handles[0]?.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });
});
