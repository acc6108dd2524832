import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../../../platform/database/index.js';
import { postgresUrl, uniqueName } from '../../../test/support/services.js';
import { acknowledgementsTable, ensureAcknowledgementsTable } from './acknowledgeException.js';

// Found by the soak bench on PostgreSQL: the first requests after a start ask for the table at once,
// and concurrent `create table if not exists` statements collide in PostgreSQL's catalog (23505, or
// 42710 on the table's row type).
describe('ensureAcknowledgementsTable on PostgreSQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates the table once when many requests ask at the same time, in this process and from others, every time', async () => {
    // The collision is a race (a fresh CI run met 42710, "type … already exists", once in 1,080
    // tests): many schemas, each asked for by four handles at once, make it near certain to occur.
    const schemas = Array.from({ length: 100 }, () => uniqueName('ack_race'));
    const others: Database[] = [];
    try {
      for (let i = 0; i < 3; i++) others.push(await createPostgresDatabase(postgresUrl()));
      for (const schema of schemas) {
        await Promise.all([db, ...others].flatMap((handle) => Array.from({ length: 3 }, () => ensureAcknowledgementsTable(handle, schema))));
      }
      for (const schema of schemas) {
        const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${acknowledgementsTable(schema)}`);
        expect(rows[0]!.n).toBe(0);
      }
    } finally {
      await Promise.all(others.map((other) => other.close()));
      for (const schema of schemas) await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    }
  });
});
