import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayParam } from './arrayParam.js';
import type { Database } from './Database.js';
import { encodeBinaryCopy } from './encodeBinaryCopy.js';
import { quoteLiteral } from './quoteLiteral.js';
import { COPY_MIN_ROWS, insertRows } from './insertRows.js';

/**
 * The database port's contract, run unchanged against every adapter (PostgreSQL and PGlite).
 * `open` returns a database in which the suite may create a schema of its own.
 */
export function describeDatabaseConformance(name: string, open: () => Promise<Database>): void {
  describe(`Database port conformance: ${name}`, () => {
    let db: Database;
    const schema = `conf_${Math.random().toString(16).slice(2, 10)}`;
    beforeAll(async () => {
      db = await open();
      await db.query(`create schema ${schema}`);
      await db.query(`create table ${schema}.t (id text primary key, n int4, big int8, amount numeric(14,2), at timestamptz, doc jsonb, raw bytea)`);
    });
    afterAll(async () => {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    });

    it('returns the agreed JS types for int4, int8, numeric, timestamptz, jsonb and bytea', async () => {
      const at = new Date('2026-01-02T03:04:05.678Z');
      await db.query(`insert into ${schema}.t values ($1, $2, $3, $4, $5, $6, $7)`, ['a', 7, '9007199254740993', '12.30', at, JSON.stringify({ k: [1] }), Buffer.from([0, 255, 10])]);
      const { rows } = await db.query(`select * from ${schema}.t where id = $1`, ['a']);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.n).toBe(7);
      expect(row.big).toBe('9007199254740993');
      expect(row.amount).toBe('12.30');
      expect(row.at).toBeInstanceOf(Date);
      expect((row.at as Date).toISOString()).toBe(at.toISOString());
      expect(row.doc).toEqual({ k: [1] });
      expect(Buffer.from(row.raw as Uint8Array)).toEqual(Buffer.from([0, 255, 10]));
    });

    it('accepts JS arrays as parameters for set-based writes with unnest', async () => {
      await db.query(`insert into ${schema}.t (id, n) select * from unnest($1::text[], $2::int4[])`, [['u1', 'u2', 'u3'], [1, 2, 3]]);
      const { rows } = await db.query<{ id: string; n: number }>(`select id, n from ${schema}.t where id = any($1::text[]) order by id`, [['u1', 'u3']]);
      expect(rows).toEqual([{ id: 'u1', n: 1 }, { id: 'u3', n: 3 }]);
    });

    it('accepts typed array parameters (ArrayParam) for unnest and any, keeping every element type, NULL and empty arrays', async () => {
      await db.query(`create table ${schema}.typed (id text primary key, n int4, big int8, at timestamptz, doc jsonb, raw bytea, amount numeric(14,2))`);
      const at = Date.parse('2026-03-04T05:06:07.089Z');
      await db.transaction(async (tx) => {
        await tx.query(`insert into ${schema}.typed select * from unnest($1::text[], $2::int4[], $3::int8[], $4::timestamptz[], $5::jsonb[], $6::bytea[], $7::text[]::numeric[])`, [
          arrayParam('text', ['typed-1', 'typed-ü€😀', 'typed-"quoted",{}\\']),
          arrayParam('int4', [-7, null, 2147483647]),
          arrayParam('int8', ['9007199254740993', 0, null]),
          arrayParam('timestamptz', [at, new Date(at + 1), null]),
          arrayParam('jsonb', ['{"s": "ü€😀"}', null, '[]']),
          arrayParam('bytea', [Buffer.from([0, 255]), null, Buffer.alloc(0)]),
          arrayParam('text', ['12.30', null, '-0.05']),
        ]);
      });
      const { rows } = await db.query(`select * from ${schema}.typed where id = any($1::text[]) order by n nulls last`, [arrayParam('text', ['typed-1', 'typed-ü€😀', 'typed-"quoted",{}\\', 'absent'])]);
      expect(rows.map((r) => r.id)).toEqual(['typed-1', 'typed-"quoted",{}\\', 'typed-ü€😀']);
      expect(rows[0]).toMatchObject({ n: -7, big: '9007199254740993', doc: { s: 'ü€😀' }, amount: '12.30' });
      expect((rows[0]!.at as Date).toISOString()).toBe(new Date(at).toISOString());
      expect(Buffer.from(rows[0]!.raw as Uint8Array)).toEqual(Buffer.from([0, 255]));
      expect(rows[1]).toMatchObject({ n: 2147483647, big: null, at: null, doc: [], amount: '-0.05' });
      expect(Buffer.from(rows[1]!.raw as Uint8Array)).toEqual(Buffer.alloc(0));
      expect(rows[2]).toMatchObject({ n: null, big: '0', doc: null, raw: null, amount: null });
      expect((rows[2]!.at as Date).getTime()).toBe(at + 1);
      const { rows: none } = await db.query(`select count(*)::int as n from unnest($1::text[]) as u(v)`, [arrayParam('text', [])]);
      expect(none).toEqual([{ n: 0 }]);
    });

    it('inserts new rows the same way below and above the COPY threshold (insertRows), and fails on a row that exists', async () => {
      await db.query(`create table ${schema}.inserted (id text primary key, n int4, amount numeric(14,2), at timestamptz, note text)`);
      const at = Date.parse('2026-03-04T05:06:07.089Z');
      const rowsOf = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => [`${prefix}-${i}`, i, `${i}.50`, at + i, i % 2 === 0 ? null : 'ü€😀'] as const);
      const columns = [['id', 'text'], ['n', 'int4'], ['amount', 'numeric'], ['at', 'timestamptz'], ['note', 'text']] as const;
      for (const [prefix, count] of [['few', 3], ['many', COPY_MIN_ROWS + 1]] as const) {
        await db.transaction((tx) => insertRows(tx, `${schema}.inserted`, columns, rowsOf(prefix, count)));
        const { rows } = await db.query<{ id: string; n: number; amount: string; at: Date; note: string | null }>(`select * from ${schema}.inserted where id like $1 order by n`, [`${prefix}-%`]);
        expect(rows.map((r) => [r.id, r.n, r.amount, r.at.getTime(), r.note]), prefix).toEqual(rowsOf(prefix, count).map((r) => [...r]));
        await expect(db.transaction((tx) => insertRows(tx, `${schema}.inserted`, columns, rowsOf(prefix, count))), prefix).rejects.toThrow();
      }
    });

    it('bulk-copies rows with binary COPY, inside a transaction, keeping every type and NULL', async () => {
      const at = new Date('2026-03-04T05:06:07.089Z');
      await db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.t`, [['id', 'text'], ['n', 'int4'], ['big', 'int8'], ['raw', 'bytea'], ['doc', 'jsonb'], ['at', 'timestamptz']], [
          // Multi-byte text: lengths on the wire are bytes, not characters.
          ['copy-1', 42, '9007199254740993', Buffer.from([0, 1, 255]), '{"a": [1, 2], "s": "ü€😀"}', at],
          ['copy-ü€😀', 7, null, 'ü', null, null],
          ['copy-2', null, null, null, null, null],
        ]);
      });
      const { rows } = await db.query(`select id, n, big, raw, doc, at from ${schema}.t where id like 'copy-%' order by id`);
      expect(rows[0]).toMatchObject({ id: 'copy-1', n: 42, big: '9007199254740993', doc: { a: [1, 2], s: 'ü€😀' } });
      expect(Buffer.from(rows[0]!.raw as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
      expect((rows[0]!.at as Date).toISOString()).toBe(at.toISOString());
      expect(rows[1]).toEqual({ id: 'copy-2', n: null, big: null, raw: null, doc: null, at: null });
      expect(rows[2]).toMatchObject({ id: 'copy-ü€😀', n: 7 });
      expect(Buffer.from(rows[2]!.raw as Uint8Array)).toEqual(Buffer.from('ü', 'utf8'));
      await expect(db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.t`, [['id', 'text']], [['copy-rolled-back']]);
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect((await db.query(`select 1 from ${schema}.t where id = 'copy-rolled-back'`)).rows).toHaveLength(0);
    });

    it('bulk-copies numeric from decimal strings as the server reads them from text, rounding to the column scale', async () => {
      const decimals = ['0', '12.30', '-0.05', '-0.00', '1.005', '9999', '10000', '123456789012.34', '0.000123', '-99990000.0001', '00042.1000'];
      await db.query(`create table ${schema}.decimals (id int4 primary key, scaled numeric(14,2), exact numeric)`);
      await db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.decimals`, [['id', 'int4'], ['scaled', 'numeric'], ['exact', 'numeric']], decimals.map((d, i) => [i, d, d]));
      });
      const { rows: copied } = await db.query(`select scaled::text as scaled, exact::text as exact from ${schema}.decimals order by id`);
      const { rows: fromText } = await db.query(`select v::numeric(14,2)::text as scaled, v::numeric::text as exact from unnest($1::text[]) with ordinality as u(v, i) order by i`, [decimals]);
      expect(copied).toEqual(fromText);
      expect(() => encodeBinaryCopy(['numeric'], [['1e5']])).toThrow(/decimal string/);
    });

    it('bulk-copies large bytea values (sent as chunks of their own) between ordinary fields, byte for byte', async () => {
      const big = (seed: number) => Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31 + seed) % 256));
      await db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.t`, [['id', 'text'], ['raw', 'bytea'], ['n', 'int4']], [
          ['large-1', big(1), 1],
          ['large-2', Buffer.from([9]), 2],
          ['large-3', big(3), 3],
        ]);
      });
      const { rows } = await db.query(`select id, raw, n from ${schema}.t where id like 'large-%' order by id`);
      expect(rows.map((r) => [r.id, r.n])).toEqual([['large-1', 1], ['large-2', 2], ['large-3', 3]]);
      expect(Buffer.from(rows[0]!.raw as Uint8Array).equals(big(1))).toBe(true);
      expect(Buffer.from(rows[1]!.raw as Uint8Array)).toEqual(Buffer.from([9]));
      expect(Buffer.from(rows[2]!.raw as Uint8Array).equals(big(3))).toBe(true);
    });

    it('reads rows by binary COPY, each field as its binary bytes and NULL as null, in a transaction too', async () => {
      const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
      await db.query(`create table ${schema}.out (id int4 primary key, raw bytea, big int8, note text)`);
      await db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.out`, [['id', 'int4'], ['raw', 'bytea'], ['big', 'int8'], ['note', 'text']], [
          [1, big, '9007199254740993', 'ü€'],
          [2, Buffer.alloc(0), null, null],
          [3, null, '-1', ''],
        ]);
        // Uncommitted rows are visible to the transaction's own COPY.
        const inside = await tx.copyRowsOut(`select id from ${schema}.out order by id`);
        expect(inside.map(([id]) => id!.readInt32BE(0))).toEqual([1, 2, 3]);
      });
      const rows = await db.copyRowsOut(`select raw, big, note from ${schema}.out where id >= ${quoteLiteral(1)} order by id`);
      expect(rows).toHaveLength(3);
      expect(rows[0]![0]!.equals(big)).toBe(true);
      expect(rows[0]![1]!.readBigInt64BE(0)).toBe(9007199254740993n);
      expect(rows[0]![2]!.toString('utf8')).toBe('ü€');
      expect(rows[1]).toEqual([Buffer.alloc(0), null, null]);
      expect(rows[2]![1]!.readBigInt64BE(0)).toBe(-1n);
      expect(rows[2]![2]).toEqual(Buffer.alloc(0));
      expect(await db.copyRowsOut(`select raw from ${schema}.out where false`)).toEqual([]);
      await expect(db.copyRowsOut(`select no_such_column from ${schema}.out`)).rejects.toThrow(/no_such_column/);
      // The connection is usable after the failed statement.
      expect(await db.copyRowsOut(`select 1::int4`)).toHaveLength(1);
    });

    it('bulk-copies one-dimensional arrays with binary COPY, keeping NULL elements and empty arrays', async () => {
      await db.query(`create table ${schema}.arrays (id int4 primary key, offsets int8[], keys bytea[], docs jsonb[], ats timestamptz[], names text[])`);
      const at = new Date('2026-03-04T05:06:07.089Z');
      await db.transaction(async (tx) => {
        await tx.copyRows(`${schema}.arrays`, [['id', 'int4'], ['offsets', 'int8[]'], ['keys', 'bytea[]'], ['docs', 'jsonb[]'], ['ats', 'timestamptz[]'], ['names', 'text[]']], [
          [1, [0, '9007199254740993'], [Buffer.from([0, 255]), null], ['{"s": "ü€😀"}', '{}'], [at, at.getTime() + 1], ['ü', null]],
          [2, [], [], [], [], []],
        ]);
      });
      const { rows } = await db.query(
        `select id, offsets::text[] as offsets, array_length(keys, 1) as key_count, keys[1] as key1, keys[2] is null as key2_null, docs[1] as doc1, docs[2] as doc2,
                ats[1] as at1, ats[2] as at2, names[1] as name1, names[2] is null as name2_null, cardinality(offsets) as n from ${schema}.arrays order by id`,
      );
      expect(rows[0]).toMatchObject({ id: 1, offsets: ['0', '9007199254740993'], key_count: 2, key2_null: true, doc1: { s: 'ü€😀' }, doc2: {}, name1: 'ü', name2_null: true, n: 2 });
      expect(Buffer.from(rows[0]!.key1 as Uint8Array)).toEqual(Buffer.from([0, 255]));
      expect((rows[0]!.at1 as Date).toISOString()).toBe(at.toISOString());
      expect((rows[0]!.at2 as Date).getTime()).toBe(at.getTime() + 1);
      expect(rows[1]).toMatchObject({ id: 2, offsets: [], n: 0 });
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await db.transaction(async (tx) => {
        await tx.query(`insert into ${schema}.t (id) values ('committed')`);
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`insert into ${schema}.t (id) values ('rolled-back')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const { rows } = await db.query<{ id: string }>(`select id from ${schema}.t where id in ('committed', 'rolled-back')`);
      expect(rows.map((r) => r.id)).toEqual(['committed']);
    });

    it('rolls back a transaction whose statement fails', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`insert into ${schema}.t (id) values ('dup')`);
          await tx.query(`insert into ${schema}.t (id) values ('dup')`);
        }),
      ).rejects.toThrow(/duplicate key/);
      const { rows } = await db.query(`select 1 from ${schema}.t where id = 'dup'`);
      expect(rows).toHaveLength(0);
    });

    it('serialises concurrent transactions that increment the same row', async () => {
      await db.query(`insert into ${schema}.t (id, n) values ('counter', 0)`);
      await Promise.all(
        Array.from({ length: 10 }, () =>
          db.transaction(async (tx) => {
            const { rows } = await tx.query<{ n: number }>(`select n from ${schema}.t where id = 'counter' for update`);
            await tx.query(`update ${schema}.t set n = $1 where id = 'counter'`, [rows[0]!.n + 1]);
          }),
        ),
      );
      const { rows } = await db.query<{ n: number }>(`select n from ${schema}.t where id = 'counter'`);
      expect(rows[0]!.n).toBe(10);
    });
  });
}
