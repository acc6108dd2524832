import { postgresUrl } from '../../test/support/services.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import { createPostgresDatabase } from './createPostgresDatabase.js';
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
