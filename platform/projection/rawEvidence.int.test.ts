import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database/index.js';
import { createPgliteDatabase, createPostgresDatabase, quoteIdent } from '../database/index.js';
import type { LogRecord } from '../eventLog/index.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import { appendEvidence, countEvidence, createRawEvidence, rawEvidenceTables, readEvidence } from './rawEvidence.js';

const record = (offset: number, value: string | null, headers: Record<string, string> = {}): LogRecord => ({
  topic: 't',
  partition: 1,
  offset,
  key: Buffer.from(`k${offset}`),
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: Date.UTC(2026, 0, 1, 0, 0, offset),
});

for (const [name, open] of [
  ['PostgreSQL', () => createPostgresDatabase(postgresUrl())],
  ['PGlite', () => createPgliteDatabase()],
] as const) {
  describe(`raw evidence, one row per partition batch (${name})`, () => {
    let db: Database;
    const schema = uniqueName('raw_ev');
    beforeAll(async () => {
      db = await open();
      await db.query(`create schema ${quoteIdent(schema)}`);
    });
    afterAll(async () => {
      await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      await db.close();
    });

    it('given batches appended, then the raw_events view and range reads return each record exactly as received, in offset order', async () => {
      await createRawEvidence(db, schema);
      const { batches, records } = rawEvidenceTables(schema);
      // Offsets with a hole (a log may skip offsets), bytes that are not UTF-8, a null value, a header with a NUL.
      const first = [record(0, '{"a":1}'), record(1, null), record(3, '\u00ff\u0000x', { h: 'a\u0000b' })];
      const second = [record(4, '{"b":2}'), record(5, '{"c":3}')];
      await db.transaction((tx) => appendEvidence(tx, batches, 't', 1, first));
      await db.transaction((tx) => appendEvidence(tx, batches, 't', 1, second));
      expect((await db.query<{ n: number }>(`select count(*)::int as n from ${batches}`)).rows[0]!.n).toBe(2);

      const { rows } = await db.query<{ record_offset: string; record_key: Uint8Array; record_value: Uint8Array | null; headers: Record<string, string>; appended_at: Date }>(
        `select record_offset, record_key, record_value, headers, appended_at from ${records} where topic = 't' and partition = 1 order by record_offset`,
      );
      expect(rows.map((r) => Number(r.record_offset))).toEqual([0, 1, 3, 4, 5]);
      expect(rows[1]!.record_value).toBeNull();
      expect(Buffer.from(rows[1]!.record_key)).toEqual(Buffer.from('k1'));
      expect(Buffer.from(rows[2]!.record_value!)).toEqual(Buffer.from('\u00ff\u0000x'));
      expect(rows[2]!.headers).toEqual({ h: 'a\uFFFDb' });
      expect(rows[2]!.appended_at.getTime()).toBe(first[2]!.timestamp);

      const read = (await readEvidence(db, batches, 't', 1, 1, 5)).records;
      expect(read.map((r) => r.offset)).toEqual([1, 3, 4]);
      expect(read[1]).toEqual({ ...first[2], headers: { h: 'a\uFFFDb' } });
      // A window reads the batches that begin inside it, whole, and says where to read on.
      const windowed = await readEvidence(db, batches, 't', 1, 0, 100, 2);
      expect(windowed.records.map((r) => r.offset)).toEqual([0, 1, 3]);
      expect(windowed.nextFrom).toBe(4);
      expect((await readEvidence(db, batches, 't', 1, 4, 100, 2)).records.map((r) => r.offset)).toEqual([4, 5]);
      expect(await countEvidence(db, batches, 't', 1, 0, 6)).toBe(5);
      expect(await countEvidence(db, batches, 't', 1, 3, 5)).toBe(2);
      expect(await countEvidence(db, batches, 't', 2, 0, 6)).toBe(0);
    });

    it('given a delete through the view, then only that record leaves its batch', async () => {
      const { batches, records } = rawEvidenceTables(schema);
      await db.query(`delete from ${records} where topic = 't' and partition = 1 and record_offset = 4`);
      expect((await readEvidence(db, batches, 't', 1, 0, 100)).records.map((r) => r.offset)).toEqual([0, 1, 3, 5]);
      expect(await countEvidence(db, batches, 't', 1, 0, 6)).toBe(4);
    });

    it('given a schema whose raw_events is the earlier table of one row per record, when created again, then its records are kept and read through the view', async () => {
      const old = uniqueName('raw_ev_old');
      await db.query(`create schema ${quoteIdent(old)}`);
      const table = `${quoteIdent(old)}.raw_events`;
      await db.query(`create table ${table} (topic text not null, partition int not null, record_offset bigint not null, record_key bytea, record_value bytea, headers jsonb not null,
        appended_at timestamptz not null, received_at timestamptz not null default now(), primary key (topic, partition, record_offset))`);
      await db.query(`insert into ${table} (topic, partition, record_offset, record_key, record_value, headers, appended_at)
        select 'u', p, o, convert_to('k' || o, 'UTF8'), convert_to('v' || o, 'UTF8'), '{}', now() from generate_series(0, 1) p, generate_series(0, 10004) o`);
      await createRawEvidence(db, old);
      const { batches, records } = rawEvidenceTables(old);
      expect((await db.query<{ n: number }>(`select count(*)::int as n from ${records}`)).rows[0]!.n).toBe(2 * 10005);
      const { records: read } = await readEvidence(db, batches, 'u', 1, 9998, 10002);
      expect(read.map((r) => [r.offset, r.value!.toString(), r.key!.toString()])).toEqual([[9998, 'v9998', 'k9998'], [9999, 'v9999', 'k9999'], [10000, 'v10000', 'k10000'], [10001, 'v10001', 'k10001']]);
      await db.query(`drop schema ${quoteIdent(old)} cascade`);
    });
  });
}
