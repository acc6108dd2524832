import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import { countingDatabase } from '../../test/support/countingDatabase.js';
import { bothDatabases } from '../../test/support/databases.js';
import { uniqueName } from '../../test/support/services.js';
import type { PrincipalStore } from './createPrincipalStore.js';
import { createPrincipalStore, principalTables } from './createPrincipalStore.js';
import { createDemoPrincipals } from './createDemoPrincipals.js';
import { API_KEY_PATTERN } from './parseApiKey.js';
import { isPrincipalStoreError, PrincipalStoreErrorCode } from './PrincipalStoreError.js';

const partnerSpec = (name: string) => ({ name, audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(bothDatabases)('principal store on %s', (_name, openDb) => {
  let db: Database;
  let store: PrincipalStore;
  const schema = uniqueName('access');

  beforeAll(async () => {
    db = await openDb();
    store = createPrincipalStore(db, { schema });
    await store.migrate();
    await store.migrate(); // idempotent
  });
  afterAll(async () => {
    await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await db.close();
  });

  it('creates a principal whose key, shown once, authenticates it', async () => {
    const { principal, apiKey } = await store.create(partnerSpec('acme'));
    expect(apiKey).toMatch(API_KEY_PATTERN);
    expect(apiKey).toHaveLength(56);
    expect(principal).toMatchObject({ name: 'acme', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } });
    expect(principal.id).toMatch(/^prn_[a-z2-7]{16}$/);
    expect(principal.credential).toEqual({ kind: 'apiKey', prefix: apiKey.slice(0, 12) });

    const authenticated = await store.authenticateApiKey(apiKey);
    expect(authenticated).toEqual(principal);
    expect(Object.isFrozen(authenticated?.contracts)).toBe(true);
    expect((await store.get('acme'))?.id).toBe(principal.id);
    expect((await store.get(principal.id))?.name).toBe('acme');
    expect(await store.get('nobody')).toBeNull();
  });

  it('refuses keys that do not prove a principal: malformed, unknown prefix, right prefix with a wrong secret', async () => {
    const { apiKey } = await store.create({ name: 'wrong-secret', audience: 'INTERNAL', contracts: ['*'] });
    expect(await store.authenticateApiKey('dpg_short')).toBeNull();
    expect(await store.authenticateApiKey(`dpg_aaaaaaaa_${'A'.repeat(43)}`)).toBeNull();
    const tampered = `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`;
    expect(await store.authenticateApiKey(tampered)).toBeNull();
  });

  it('stores only the prefix and SHA-256 of a key: the key appears in no column of either table', async () => {
    const { apiKey } = await store.create({ name: 'secret-keeper', audience: 'INTERNAL', contracts: ['*'] });
    const secret = apiKey.slice(13);
    const t = principalTables(schema);
    const texts: string[] = [];
    for (const table of [t.principals, t.apiKeys]) {
      const { rows } = await db.query(`select * from ${table}`);
      // Every column's value as the database renders it, and as the driver returns it.
      const { rows: rendered } = await db.query<{ row_text: string }>(`select r::text as row_text from ${table} r`);
      texts.push(...rendered.map((r) => r.row_text));
      for (const row of rows) {
        for (const value of Object.values(row)) {
          texts.push(value instanceof Uint8Array ? `${Buffer.from(value).toString('hex')} ${Buffer.from(value).toString('latin1')} ${Buffer.from(value).toString('base64url')}` : JSON.stringify(value));
        }
      }
    }
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(secret);
    }
    const { rows } = await db.query<{ key_hash: Uint8Array }>(`select key_hash from ${t.apiKeys} where key_prefix = $1`, [apiKey.slice(0, 12)]);
    expect(Buffer.from(rows[0]!.key_hash).toString('hex')).toBe(createHash('sha256').update(apiKey).digest('hex'));
  });

  it('lists principals and their keys without secrets: prefixes, created, last used, revoked', async () => {
    const { principal, apiKey } = await store.create(partnerSpec('listed'));
    await store.authenticateApiKey(apiKey);
    const listed = await store.list();
    const entry = listed.find((p) => p.id === principal.id);
    expect(entry).toMatchObject({ name: 'listed', audience: 'PARTNER', revokedAt: null, rowScope: { salesChannel: ['MARKETPLACE'] } });
    expect(entry?.keys).toHaveLength(1);
    expect(entry?.keys[0]).toMatchObject({ prefix: apiKey.slice(0, 12), revokedAt: null });
    expect(entry?.keys[0]?.createdAt).toBeInstanceOf(Date);
    expect(entry?.keys[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect(Object.keys(entry?.keys[0] ?? {}).sort()).toEqual(['createdAt', 'lastUsedAt', 'prefix', 'revokedAt']);
    expect(JSON.stringify(listed)).not.toContain(apiKey.slice(13));
  });

  it('rotates without grace: the old key stops at once, the new one works', async () => {
    const { principal, apiKey: oldKey } = await store.create(partnerSpec('rotating'));
    expect(await store.authenticateApiKey(oldKey)).not.toBeNull(); // now cached
    const rotated = await store.rotate('rotating');
    expect(rotated.apiKey).toMatch(API_KEY_PATTERN);
    expect(rotated.apiKey).not.toBe(oldKey);
    expect(await store.authenticateApiKey(oldKey)).toBeNull();
    expect((await store.authenticateApiKey(rotated.apiKey))?.id).toBe(principal.id);
    const keys = (await store.get(principal.id))?.keys ?? [];
    expect(keys.map((k) => [k.prefix, k.revokedAt === null])).toEqual(expect.arrayContaining([[oldKey.slice(0, 12), false], [rotated.apiKey.slice(0, 12), true]]));
  });

  it('rotates with a grace: both keys work until the grace ends, then only the new one (even from the cache)', async () => {
    const { apiKey: oldKey } = await store.create(partnerSpec('graceful'));
    const rotated = await store.rotate('graceful', { graceSeconds: 1 });
    expect(rotated.previousKeysRevokedAt.getTime()).toBeGreaterThan(Date.now() + 500);
    expect(await store.authenticateApiKey(oldKey)).not.toBeNull(); // cached, but not beyond its end
    expect(await store.authenticateApiKey(rotated.apiKey)).not.toBeNull();
    const old = (await store.get('graceful'))?.keys.find((k) => k.prefix === oldKey.slice(0, 12));
    expect(old?.revokedAt?.getTime()).toBe(rotated.previousKeysRevokedAt.getTime());
    await sleep(1300);
    expect(await store.authenticateApiKey(oldKey)).toBeNull();
    expect(await store.authenticateApiKey(rotated.apiKey)).not.toBeNull();
  });

  it('revokes one key by prefix, or a principal with all its keys', async () => {
    const { principal, apiKey: first } = await store.create(partnerSpec('revoked'));
    const { apiKey: second } = await store.rotate('revoked', { graceSeconds: 3600 });
    await store.revokeKey(first.slice(4, 12)); // the bare key id works too
    expect(await store.authenticateApiKey(first)).toBeNull();
    expect(await store.authenticateApiKey(second)).not.toBeNull();
    expect(await store.getActive(principal.id, { kind: 'session', prefix: 'x' })).not.toBeNull();

    const revoked = await store.revoke('revoked');
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(revoked.keys.every((k) => k.revokedAt !== null && k.revokedAt.getTime() <= Date.now() + 1000)).toBe(true);
    expect(await store.authenticateApiKey(second)).toBeNull();
    expect(await store.getActive(principal.id, { kind: 'session', prefix: 'x' })).toBeNull();
    await expect(store.rotate('revoked')).rejects.toMatchObject({ code: PrincipalStoreErrorCode.Revoked });
    await expect(store.revoke('nobody')).rejects.toMatchObject({ code: PrincipalStoreErrorCode.NotFound, message: expect.stringContaining('"nobody"') });
    await expect(store.revokeKey('dpg_zzzzzzzz')).rejects.toMatchObject({ code: PrincipalStoreErrorCode.KeyNotFound });
  });

  it('refuses a PARTNER spec without a row scope, naming the field, what it got and the fix; stores nothing', async () => {
    const error = await store.create({ name: 'unscoped', audience: 'PARTNER', contracts: ['*'], rights: ['operate'] }).catch((e: unknown) => e);
    expect(isPrincipalStoreError(error, PrincipalStoreErrorCode.SpecInvalid)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('rowScope is missing for a PARTNER; a partner must be limited to its own rows. Fix: give at least one dimension, e.g. {"salesChannel":["MARKETPLACE"]}');
    expect(message).toContain('contracts is ["*"] for a PARTNER');
    expect(message).toContain('rights gives a PARTNER "operate"');
    expect(await store.get('unscoped')).toBeNull();
  });

  it('keeps names unique', async () => {
    await store.create({ name: 'twice', audience: 'INTERNAL', contracts: ['*'] });
    await expect(store.create({ name: 'twice', audience: 'INTERNAL', contracts: ['*'] })).rejects.toMatchObject({ code: PrincipalStoreErrorCode.NameTaken, message: expect.stringContaining('"twice" already exists') });
  });

  it('the database refuses an unscoped partner even past validation', async () => {
    const t = principalTables(schema);
    await expect(db.query(`insert into ${t.principals} (principal_id, principal_name, audience, contracts, rights, row_scope) values ('prn_x', 'raw', 'PARTNER', '{a/v1}', '{}', null)`)).rejects.toThrow(/partner_is_scoped/);
  });

  it('caches successes: a revocation holds at once in this process and within the TTL in another', async () => {
    const here = createPrincipalStore(db, { schema, authCache: { ttlMs: 400 } });
    const elsewhere = createPrincipalStore(db, { schema, authCache: { ttlMs: 400 } });
    const { apiKey } = await here.create({ name: 'cached', audience: 'INTERNAL', contracts: ['*'] });
    expect(await elsewhere.authenticateApiKey(apiKey)).not.toBeNull();
    await here.revoke('cached');
    expect(await here.authenticateApiKey(apiKey)).toBeNull();
    expect(await elsewhere.authenticateApiKey(apiKey)).not.toBeNull(); // within its TTL
    await sleep(500);
    expect(await elsewhere.authenticateApiKey(apiKey)).toBeNull();
  });

  it('writes last_used_at at most once per interval per key, and serves repeats from the cache', async () => {
    const counted = countingDatabase(db);
    const uncached = createPrincipalStore(counted, { schema, authCache: { ttlMs: 0 } });
    const { apiKey } = await uncached.create({ name: 'busy', audience: 'INTERNAL', contracts: ['*'] });
    counted.statements = 0;
    await uncached.authenticateApiKey(apiKey);
    expect(counted.statements).toBe(2); // lookup + last_used_at
    for (let i = 0; i < 5; i++) await uncached.authenticateApiKey(apiKey);
    expect(counted.statements).toBe(7); // lookups only

    const cached = createPrincipalStore(counted, { schema });
    await cached.authenticateApiKey(apiKey);
    const after = counted.statements;
    for (let i = 0; i < 5; i++) expect(await cached.authenticateApiKey(apiKey)).not.toBeNull();
    expect(counted.statements).toBe(after);
  });

  it('creates the demo principals, and rotates their keys when they exist', async () => {
    const demoStore = createPrincipalStore(db, { schema: `${schema}_demo` });
    try {
      const demo = await createDemoPrincipals(demoStore);
      expect(demo.internal.principal).toMatchObject({ name: 'demo-internal', audience: 'INTERNAL', contracts: ['*'], rights: [] });
      expect(demo.partner.principal).toMatchObject({ name: 'demo-marketplace-partner', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } });
      expect(demo.operator.principal).toMatchObject({ name: 'demo-operator', audience: 'INTERNAL', contracts: ['*'], rights: ['operate', 'export', 'steward'] });
      for (const { apiKey, principal } of Object.values(demo)) expect((await demoStore.authenticateApiKey(apiKey))?.id).toBe(principal.id);
      const again = await createDemoPrincipals(demoStore);
      expect(again.partner.principal.id).toBe(demo.partner.principal.id);
      expect(await demoStore.authenticateApiKey(demo.partner.apiKey)).toBeNull();
      expect(await demoStore.authenticateApiKey(again.partner.apiKey)).not.toBeNull();
    } finally {
      await db.query(`drop schema if exists ${quoteIdent(`${schema}_demo`)} cascade`);
    }
  });
});
