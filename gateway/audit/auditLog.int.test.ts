import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { countingDatabase } from '../../test/support/countingDatabase.js';
import { bothDatabases } from '../../test/support/databases.js';
import { uniqueName } from '../../test/support/services.js';
import type { Principal } from '../access/index.js';
import type { AuditEntry } from './index.js';
import { auditLogTable, auditPrincipal, createAuditLog } from './index.js';

const partner: Principal = { id: 'prn_acme', name: 'Acme logistics', audience: 'PARTNER', contracts: ['partnerOrders/v1'], rights: [], rowScope: { salesChannel: ['MARKETPLACE'] }, credential: { kind: 'apiKey', prefix: 'dpg_acme' } };
const query = (correlationId: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  action: 'contract.query',
  ...auditPrincipal(partner),
  contract: 'partnerOrders/v1',
  operationName: 'RecentOrders',
  operationHash: 'sha256:3f1a',
  fieldsSelected: ['Order.orderId', 'Order.customerEmail'],
  rowsReturned: 25,
  redactions: [{ field: 'Order.customerEmail', strategy: 'MASK' }],
  outcome: 'ok',
  correlationId,
  ...overrides,
});

describe.each(bothDatabases)('audit log on %s', (_name, openDb) => {
  let db: Database;
  const schemas: string[] = [];
  const freshSchema = () => {
    const schema = uniqueName('audit');
    schemas.push(schema);
    return schema;
  };
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    for (const schema of schemas) await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
  });

  it('given recorded entries, when flushed, then they are listed with every column typed, newest first, and filterable', async () => {
    const audit = createAuditLog(db, { schema: freshSchema() });
    await audit.migrate();
    await audit.migrate(); // idempotent
    const at = new Date('2026-03-01T10:00:00.123Z');
    audit.record(query('req-1', { at }));
    audit.record({ action: 'access.denied', principalId: null, principalName: null, audience: null, outcome: 'denied', errorCode: 'UNAUTHENTICATED', correlationId: 'req-2', detail: 'no credential' });
    audit.record(query('req-3', { action: 'export.create', exportId: 'exp-1', rowsReturned: 0, fieldsSelected: [], redactions: [] }));
    expect(await audit.list()).toEqual([]); // buffered, not yet written
    await audit.flush();

    const listed = await audit.list();
    expect(listed.map((r) => r.correlationId)).toEqual(['req-3', 'req-2', 'req-1']);
    expect(listed[2]).toEqual({
      auditId: expect.any(Number), action: 'contract.query', at, recordedAt: expect.any(Date),
      principalId: 'prn_acme', principalName: 'Acme logistics', audience: 'PARTNER',
      contract: 'partnerOrders/v1', operationName: 'RecentOrders', operationHash: 'sha256:3f1a',
      fieldsSelected: ['Order.orderId', 'Order.customerEmail'], rowsReturned: 25,
      redactions: [{ field: 'Order.customerEmail', strategy: 'MASK' }],
      exportId: null, outcome: 'ok', errorCode: null, correlationId: 'req-1', detail: null,
    });
    expect(listed[1]).toMatchObject({ action: 'access.denied', principalId: null, outcome: 'denied', errorCode: 'UNAUTHENTICATED', fieldsSelected: [], redactions: [], rowsReturned: null });
    expect(listed[0]!.auditId).toBeGreaterThan(listed[2]!.auditId);

    expect((await audit.list({ principalId: 'prn_acme' })).map((r) => r.correlationId)).toEqual(['req-3', 'req-1']);
    expect((await audit.list({ action: 'export.create' })).map((r) => r.exportId)).toEqual(['exp-1']);
    expect(await audit.list({ limit: 1 })).toHaveLength(1);
    await audit.close();
  });

  it('given the table, then its columns are typed and (principal_id, at) is indexed', async () => {
    const schema = freshSchema();
    await createAuditLog(db, { schema }).migrate();
    const { rows } = await db.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = 'audit_log' order by ordinal_position`,
      [schema],
    );
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]))).toMatchObject({ audit_id: 'bigint', at: 'timestamp with time zone', fields_selected: 'ARRAY', redactions: 'jsonb', rows_returned: 'bigint' });
    const index = await db.query<{ indexdef: string }>(`select indexdef from pg_indexes where schemaname = $1 and indexname = 'audit_log_principal_at_idx'`, [schema]);
    expect(index.rows[0]?.indexdef).toMatch(/\(principal_id, at\)/);
  });

  it('given many entries, when flushed, then they are written in a few multi-row statements, and the timer flushes on its own', async () => {
    const counted = countingDatabase(db);
    const schema = freshSchema();
    const audit = createAuditLog(counted, { schema, maxBatch: 500, flushIntervalMs: 50 });
    await audit.migrate();
    counted.statements = 0;
    for (let i = 0; i < 1_200; i++) audit.record(query(`bulk-${i}`));
    await audit.flush();
    // 1,200 entries: three INSERTs of 500, 500 and 200; the 500th entry started the first on its own.
    expect(counted.statements).toBe(3);
    const [count] = (await db.query<{ n: number; distinct_ids: number }>(`select count(*)::int as n, count(distinct correlation_id)::int as distinct_ids from ${auditLogTable(schema)}`)).rows;
    expect(count).toEqual({ n: 1_200, distinct_ids: 1_200 });

    counted.statements = 0;
    for (let i = 0; i < 10; i++) audit.record(query(`timer-${i}`));
    await expect.poll(() => audit.stats().buffered, { timeout: 5_000 }).toBe(0);
    expect(counted.statements).toBe(1);
    await audit.close();
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself, whoever sends them', async () => {
    const schema = freshSchema();
    const audit = createAuditLog(db, { schema });
    await audit.migrate();
    audit.record(query('kept'));
    await audit.flush();
    const table = auditLogTable(schema);
    await expect(db.query(`update ${table} set principal_id = 'someone else'`)).rejects.toThrow(/audit log .* is append-only: UPDATE is refused/);
    await expect(db.query(`delete from ${table}`)).rejects.toThrow(/append-only: DELETE is refused/);
    await expect(db.query(`truncate ${table}`)).rejects.toThrow(/append-only: TRUNCATE is refused/);
    expect((await audit.list()).map((r) => [r.correlationId, r.principalId])).toEqual([['kept', 'prn_acme']]);
    await audit.close();
  });

  it('given the database failing under it, then entries are kept, retried, and written once it recovers', async () => {
    const schema = freshSchema();
    const warnings: string[] = [];
    const audit = createAuditLog(db, { schema, flushIntervalMs: 20, maxRetryDelayMs: 40, warn: (m) => warnings.push(m) });
    await audit.migrate();
    await db.query(`drop schema "${schema}" cascade`); // the audit table is gone: every INSERT fails

    for (let i = 0; i < 5; i++) audit.record(query(`outage-${i}`));
    await expect(audit.flush()).rejects.toThrow(/audit_log/);
    expect(audit.stats()).toEqual({ buffered: 5, dropped: 0 });
    audit.record(query('outage-5'));
    await new Promise((r) => setTimeout(r, 200)); // the retry timer keeps failing meanwhile
    expect(audit.stats()).toEqual({ buffered: 6, dropped: 0 });
    expect(warnings.filter((w) => w.includes('cannot write the audit log'))).toHaveLength(1); // once per outage, not per retry

    await audit.migrate(); // the database is back
    await expect.poll(() => audit.stats().buffered, { timeout: 5_000 }).toBe(0); // the retry timer takes them
    await audit.flush(); // and this waits for its batch, which may still be in flight
    expect((await audit.list()).map((r) => r.correlationId).sort()).toEqual(['outage-0', 'outage-1', 'outage-2', 'outage-3', 'outage-4', 'outage-5']);
    expect(warnings.at(-1)).toMatch(/writable again/);
    await audit.close();
  });

  it('given an outage longer than the buffer, then the oldest entries are dropped, counted and warned about once', async () => {
    const schema = freshSchema();
    const warnings: string[] = [];
    const audit = createAuditLog(db, { schema, maxBuffered: 5, flushIntervalMs: 60_000, warn: (m) => warnings.push(m) });
    await audit.migrate();
    await db.query(`drop schema "${schema}" cascade`);
    for (let i = 0; i < 8; i++) audit.record(query(`e-${i}`));
    expect(audit.stats()).toEqual({ buffered: 5, dropped: 3 });
    expect(warnings.filter((w) => w.includes('dropped'))).toEqual([expect.stringMatching(/buffer full \(5 entries\).*dropped 1 audit entry, oldest first/)]);
    await expect(audit.flush()).rejects.toThrow();

    await audit.migrate();
    await audit.flush();
    expect((await audit.list()).map((r) => r.correlationId).sort()).toEqual(['e-3', 'e-4', 'e-5', 'e-6', 'e-7']);
    expect(warnings.at(-1)).toMatch(/writable again .*3 entries were dropped meanwhile/);
    await audit.close();
    audit.record(query('after-close')); // never throws
    expect(audit.stats().dropped).toBe(4);
  });

  it('never lets one unstorable value block the batch behind it', async () => {
    const audit = createAuditLog(db, { schema: freshSchema() });
    await audit.migrate();
    audit.record(query('nul\u0000char', { detail: 'lone \uD800 surrogate', rowsReturned: Number.NaN, at: new Date(Number.NaN), redactions: [{ field: 'Order.x\u0000', strategy: 'MASK' }] }));
    audit.record(query('plain'));
    await audit.flush();
    const listed = await audit.list();
    expect(listed.map((r) => r.correlationId)).toEqual(['plain', 'nulchar']);
    expect(listed[1]).toMatchObject({ detail: 'lone \uFFFD surrogate', rowsReturned: null, redactions: [{ field: 'Order.x', strategy: 'MASK' }] });
    expect(Math.abs(listed[1]!.at.getTime() - Date.now())).toBeLessThan(60_000);
    await audit.close();
  });
});
