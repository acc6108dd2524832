import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/database/index.js';
import { createPostgresDatabase } from '../../../platform/database/index.js';
import { postgresUrl, uniqueName } from '../../../test/support/services.js';
import { acknowledgementsTable, ensureAcknowledgementsTable } from './acknowledgeException.js';

// Found by the soak bench on PostgreSQL: the first requests after a start ask for the table at once,
// and concurrent `create table if not exists` statements collide in PostgreSQL's catalog (23505).
describe('ensureAcknowledgementsTable on PostgreSQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates the table once when many requests ask at the same time, in this process and from another', async () => {
    const schema = uniqueName('ack_race');
    const other = await createPostgresDatabase(postgresUrl());
    try {
      await Promise.all([...Array.from({ length: 8 }, () => ensureAcknowledgementsTable(db, schema)), ...Array.from({ length: 8 }, () => ensureAcknowledgementsTable(other, schema))]);
    } finally {
      await other.close();
    }
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${acknowledgementsTable(schema)}`);
    expect(rows[0]!.n).toBe(0);
  });
});
