import { postgresUrl } from '../../test/support/services.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import { createPostgresDatabase } from './createPostgresDatabase.js';
import { quoteLiteral } from './quoteLiteral.js';
import { describeDatabaseConformance } from './databaseConformance.js';
import { describe, expect, it } from 'vitest';

describeDatabaseConformance('PostgreSQL (pg)', () => createPostgresDatabase(postgresUrl()));
describeDatabaseConformance('PGlite', () => createPgliteDatabase());

describe('createPostgresDatabase', () => {
  it('fails with a message naming DATABASE_URL and the fix when the server is unreachable', async () => {
    const started = performance.now();
    await expect(createPostgresDatabase('postgres://nobody@127.0.0.1:1/none', { startupWaitMs: 300 })).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      retriable: true,
      message: expect.stringMatching(/DATABASE_URL \(127\.0\.0\.1:1\/none\).*Fix: start PostgreSQL or correct DATABASE_URL/),
    });
    // Refused connections are retried until startupWaitMs, then reported.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('fails at once, not retriable, when the server refuses the credentials', async () => {
    const url = new URL(postgresUrl());
    url.username = 'no_such_role_for_dpg';
    const started = performance.now();
    await expect(createPostgresDatabase(url.toString(), { startupWaitMs: 10_000 })).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', retriable: false });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('streamTextRows (PostgreSQL server only)', () => {
  const awkward = ['plain', "it's", 'back\\slash', 'tab\there', 'new\nline', 'cr\rlf', 'ünïcödé €', '𝄞', '\\N', '', '"quoted"', 'E\'x\''];

  it('streams the same values a query returns, for text that needs every escape, with NULL kept apart from the text \\N', async () => {
    const db = await createPostgresDatabase(postgresUrl());
    try {
      const select = `select v, length(v) as n, null::text as nothing from unnest(${quoteLiteral(awkward)}::text[]) with ordinality as t(v, i) order by i`;
      const expected = (await db.query<{ v: string; n: number }>(select)).rows.map((r) => [r.v, String(r.n), null]);
      const streamed = [];
      for await (const batch of db.streamTextRows!(select)) streamed.push(...batch);
      expect(streamed).toEqual(expected);
      expect(streamed.map((r) => r[0])).toEqual(awkward);
    } finally {
      await db.close();
    }
  });

  it('streams a million rows in batches, and a reader that stops early leaves the pool usable', async () => {
    const db = await createPostgresDatabase(postgresUrl(), { maxConnections: 1 });
    try {
      let rows = 0;
      let batches = 0;
      for await (const batch of db.streamTextRows!(`select n, repeat('x', 20) from generate_series(1, 1000000) n`)) {
        rows += batch.length;
        batches++;
      }
      expect(rows).toBe(1_000_000);
      expect(batches).toBeGreaterThan(10);
      for await (const batch of db.streamTextRows!(`select n from generate_series(1, 1000000) n`)) {
        expect(batch[0]).toEqual(['1']);
        break;
      }
      // The abandoned COPY's connection was discarded: the only connection of the pool is a new one.
      expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('reports a failing statement as a database error', async () => {
    const db = await createPostgresDatabase(postgresUrl());
    try {
      const read = async () => {
        for await (const _ of db.streamTextRows!('select 1 / 0')) void _;
      };
      await expect(read()).rejects.toThrow(/division by zero/);
      expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('is not offered by PGlite, whose COPY TO holds its whole output in memory', async () => {
    const db = await createPgliteDatabase();
    try {
      expect(db.streamTextRows).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});

describe('quoteLiteral', () => {
  it('round-trips text through PostgreSQL and refuses NUL', async () => {
    const db = await createPostgresDatabase(postgresUrl());
    try {
      for (const value of ["o'clock", 'a\\b', '\\\'', '€']) {
        expect((await db.query<{ v: string }>(`select ${quoteLiteral(value)}::text as v`)).rows[0]!.v).toBe(value);
      }
      expect((await db.query<{ v: string[] }>(`select ${quoteLiteral(['a', "b'c"])}::text[] as v`)).rows[0]!.v).toEqual(['a', "b'c"]);
      expect(() => quoteLiteral('a\u0000b')).toThrow(/NUL/);
    } finally {
      await db.close();
    }
  });
});
