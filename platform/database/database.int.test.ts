import { postgresUrl } from '../../test/support/services.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import { createPostgresDatabase } from './createPostgresDatabase.js';
import { describeDatabaseConformance } from './databaseConformance.js';
import { describe, expect, it } from 'vitest';

describeDatabaseConformance('PostgreSQL (pg)', () => createPostgresDatabase(postgresUrl()));
describeDatabaseConformance('PGlite', () => createPgliteDatabase());

describe('createPostgresDatabase', () => {
  it('fails with a message naming DATABASE_URL and the fix when the server is unreachable', async () => {
    await expect(createPostgresDatabase('postgres://nobody@127.0.0.1:1/none')).rejects.toThrow(/DATABASE_URL \(127\.0\.0\.1:1\/none\).*Fix: start PostgreSQL or correct DATABASE_URL/);
  });
});
