import { timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Database, Queryable } from '../../platform/database/index.js';
import { migrateExclusively, quoteIdent } from '../../platform/database/index.js';
import { generateApiKey, hashApiKey, normaliseKeyPrefix, parseApiKey, randomId } from './parseApiKey.js';
import type { CredentialRef, Principal, PrincipalAudience, PrincipalRight, RowScope } from './Principal.js';
import { PrincipalStoreError, PrincipalStoreErrorCode } from './PrincipalStoreError.js';
import type { PrincipalSpec } from './validatePrincipalSpec.js';
import { validatePrincipalSpec } from './validatePrincipalSpec.js';

export interface PrincipalStoreOptions {
  /** Postgres schema of the principal tables. Default `gateway`: access is the gateway's, not a context's. */
  schema?: string;
  /**
   * Positive cache of authenticated API keys, so a request does not cost a database round trip.
   * Only successes are cached. A revocation (or rotation) takes effect at once in this process
   * (the cache is cleared) and within `ttlMs` in other gateway processes. Default
   * `{ max: 10_000, ttlMs: 5_000 }`: a few seconds of revocation lag for a few thousand fewer
   * queries a second. `ttlMs: 0` disables it.
   */
  authCache?: { max?: number; ttlMs?: number };
  /**
   * `last_used_at` is written at most once per this interval per key (and process), so
   * authentication never costs a write per request. Default 60 000 (a minute).
   */
  lastUsedIntervalMs?: number;
}

/** An API key as listings show it: never the secret, never its hash. */
export interface StoredApiKey {
  /** `dpg_` + the key id: what the operator and the audit log see. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** When it stops (or stopped) working; in the future during a rotation grace. Null while active. */
  revokedAt: Date | null;
}

export interface StoredPrincipal {
  id: string;
  name: string;
  audience: PrincipalAudience;
  contracts: readonly string[];
  rights: readonly PrincipalRight[];
  rowScope: RowScope | null;
  createdAt: Date;
  /** Set by `revoke`: the principal and all its keys and sessions stop working. */
  revokedAt: Date | null;
  keys: StoredApiKey[];
}

export interface RotatedApiKey {
  principal: Principal;
  /** The new key, shown once. */
  apiKey: string;
  /** When the previous keys stop working: now, or after the grace. */
  previousKeysRevokedAt: Date;
}

export interface PrincipalStore {
  /** Creates the schema and tables if missing. Idempotent, safe to run from several processes at once. */
  migrate(): Promise<void>;
  /** Validates the spec, stores the principal and a first key. The key is returned once and stored only as a hash. */
  create(spec: PrincipalSpec): Promise<{ principal: Principal; apiKey: string }>;
  list(): Promise<StoredPrincipal[]>;
  get(idOrName: string): Promise<StoredPrincipal | null>;
  /** A new key; the principal's previous keys are revoked now, or `graceSeconds` from now (default 0). */
  rotate(idOrName: string, options?: { graceSeconds?: number }): Promise<RotatedApiKey>;
  /** Revokes the principal and every key it has; its sessions stop resolving. Idempotent. */
  revoke(idOrName: string): Promise<StoredPrincipal>;
  /** Revokes one key by its prefix (`dpg_abcd2345` or `abcd2345`). */
  revokeKey(prefix: string): Promise<StoredApiKey>;
  /** The key's principal, or null for anything that does not prove one (malformed, unknown, revoked). */
  authenticateApiKey(key: string): Promise<Principal | null>;
  /** A principal by id if it exists and is not revoked, carrying `credential` (for session lookups). */
  getActive(principalId: string, credential: CredentialRef): Promise<Principal | null>;
}

/** The qualified table names: the one place they are spelled. */
export function principalTables(schema: string): { principals: string; apiKeys: string } {
  return { principals: `${quoteIdent(schema)}.principals`, apiKeys: `${quoteIdent(schema)}.api_keys` };
}

type PrincipalRow = {
  principal_id: string;
  principal_name: string;
  audience: PrincipalAudience;
  contracts: string[];
  rights: PrincipalRight[];
  row_scope: RowScope | null;
  created_at: Date;
  revoked_at: Date | null;
};
type ApiKeyRow = {
  key_prefix: string;
  principal_id: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

/** Stored principals and their API keys (DESIGN §9), in PostgreSQL or PGlite. */
export function createPrincipalStore(db: Database, options: PrincipalStoreOptions = {}): PrincipalStore {
  const schema = options.schema ?? 'gateway';
  const t = principalTables(schema);
  const ttlMs = options.authCache?.ttlMs ?? 5_000;
  const max = options.authCache?.max ?? 10_000;
  // Keyed by the key's hash, so the cache holds no usable secret.
  const authenticated = ttlMs > 0 ? new LRUCache<string, Principal>({ max, ttl: ttlMs }) : null;
  const active = ttlMs > 0 ? new LRUCache<string, Omit<Principal, 'credential'>>({ max, ttl: ttlMs }) : null;
  const lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
  const touched = new LRUCache<string, true>({ max, ttl: Math.max(1, lastUsedIntervalMs) });
  const forgetCached = () => {
    authenticated?.clear();
    active?.clear();
  };

  const findRow = async (q: Queryable, idOrName: string, lock = false): Promise<PrincipalRow> => {
    const { rows } = await q.query<PrincipalRow>(`select * from ${t.principals} where principal_id = $1 or principal_name = $1${lock ? ' for update' : ''}`, [idOrName]);
    const row = rows[0];
    if (!row) throw new PrincipalStoreError(PrincipalStoreErrorCode.NotFound, `No principal has the id or name ${JSON.stringify(idOrName)}. Fix: \`principals list\` shows them.`);
    return row;
  };
  const keysOf = async (q: Queryable, principalIds: readonly string[]): Promise<ApiKeyRow[]> =>
    (await q.query<ApiKeyRow>(`select key_prefix, principal_id, created_at, last_used_at, revoked_at from ${t.apiKeys} where principal_id = any($1) order by created_at, key_prefix`, [principalIds])).rows;
  const stored = (row: PrincipalRow, keys: readonly ApiKeyRow[]): StoredPrincipal => ({
    ...grantsOf(row),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    keys: keys.filter((k) => k.principal_id === row.principal_id).map(storedKey),
  });
  /** Inserts a fresh key; retries the (40-bit) key id on the rare collision instead of failing. */
  const insertKey = async (q: Queryable, principalId: string): Promise<{ key: string; prefix: string }> => {
    for (let attempt = 0; ; attempt++) {
      const fresh = generateApiKey();
      const { rows } = await q.query(`insert into ${t.apiKeys} (key_prefix, principal_id, key_hash) values ($1, $2, $3) on conflict (key_prefix) do nothing returning key_prefix`, [fresh.prefix, principalId, hashApiKey(fresh.key)]);
      if (rows.length === 1) return fresh;
      if (attempt >= 5) throw new Error(`could not allocate a free API key id after ${attempt + 1} attempts`);
    }
  };

  return {
    async migrate() {
      // Two processes starting together would race on `create schema if not exists`.
      await migrateExclusively(db, schema, async (tx) => {
        await tx.query(`create schema if not exists ${quoteIdent(schema)}`);
        await tx.query(`create table if not exists ${t.principals} (
          principal_id text primary key,
          principal_name text not null unique,
          audience text not null check (audience in ('INTERNAL', 'PARTNER')),
          contracts text[] not null,
          rights text[] not null,
          row_scope jsonb,
          created_at timestamptz not null default now(),
          revoked_at timestamptz,
          -- The partner rules again, so no path around validation can store an unscoped partner.
          constraint partner_is_scoped check (audience <> 'PARTNER' or (row_scope is not null and row_scope <> '{}'::jsonb and not ('*' = any (contracts)))))`);
        // Only the public prefix and SHA-256 of the whole key: the key itself is never stored.
        await tx.query(`create table if not exists ${t.apiKeys} (
          key_prefix text primary key,
          principal_id text not null references ${t.principals} (principal_id),
          key_hash bytea not null check (octet_length(key_hash) = 32),
          created_at timestamptz not null default now(),
          last_used_at timestamptz,
          revoked_at timestamptz)`);
        await tx.query(`create index if not exists api_keys_principal_idx on ${t.apiKeys} (principal_id)`);
      });
    },

    async create(spec) {
      const checked = validatePrincipalSpec(spec);
      if (!checked.ok) {
        throw new PrincipalStoreError(PrincipalStoreErrorCode.SpecInvalid, `Principal spec is not valid:\n  - ${checked.problems.map((p) => p.message).join('\n  - ')}`, checked.problems);
      }
      const valid = checked.value;
      return db.transaction(async (tx) => {
        const id = `prn_${randomId(16)}`;
        const { rows } = await tx.query(
          `insert into ${t.principals} (principal_id, principal_name, audience, contracts, rights, row_scope) values ($1, $2, $3, $4, $5, $6)
           on conflict (principal_name) do nothing returning principal_id`,
          [id, valid.name, valid.audience, valid.contracts, valid.rights, valid.rowScope === null ? null : JSON.stringify(valid.rowScope)],
        );
        if (rows.length === 0) {
          throw new PrincipalStoreError(PrincipalStoreErrorCode.NameTaken, `A principal named ${JSON.stringify(valid.name)} already exists. Fix: choose another name, or \`principals rotate ${valid.name}\` for a new key.`);
        }
        const { key, prefix } = await insertKey(tx, id);
        return { principal: freeze({ id, ...valid, credential: { kind: 'apiKey', prefix } }), apiKey: key };
      });
    },

    async list() {
      const { rows } = await db.query<PrincipalRow>(`select * from ${t.principals} order by created_at, principal_name`);
      const keys = await keysOf(db, rows.map((r) => r.principal_id));
      return rows.map((row) => stored(row, keys));
    },

    async get(idOrName) {
      try {
        const row = await findRow(db, idOrName);
        return stored(row, await keysOf(db, [row.principal_id]));
      } catch (error) {
        if (error instanceof PrincipalStoreError && error.code === PrincipalStoreErrorCode.NotFound) return null;
        throw error;
      }
    },

    async rotate(idOrName, rotateOptions = {}) {
      const graceSeconds = rotateOptions.graceSeconds ?? 0;
      if (!Number.isFinite(graceSeconds) || graceSeconds < 0) throw new RangeError(`graceSeconds must be a number of seconds >= 0, not ${graceSeconds}`);
      const result = await db.transaction(async (tx) => {
        const row = await findRow(tx, idOrName, true);
        if (row.revoked_at) {
          throw new PrincipalStoreError(PrincipalStoreErrorCode.Revoked, `Principal ${JSON.stringify(row.principal_name)} (${row.principal_id}) was revoked at ${row.revoked_at.toISOString()}; a revoked principal gets no new keys. Fix: create a new principal.`);
        }
        const { rows } = await tx.query<{ at: Date }>(`select now() + make_interval(secs => $1) as at`, [graceSeconds]);
        const at = rows[0]!.at;
        // Keys already due to end sooner (an earlier grace) keep their earlier end.
        await tx.query(`update ${t.apiKeys} set revoked_at = $2 where principal_id = $1 and (revoked_at is null or revoked_at > $2)`, [row.principal_id, at]);
        const { key, prefix } = await insertKey(tx, row.principal_id);
        return { principal: freeze({ ...grantsOf(row), credential: { kind: 'apiKey', prefix } }), apiKey: key, previousKeysRevokedAt: at };
      });
      forgetCached();
      return result;
    },

    async revoke(idOrName) {
      const result = await db.transaction(async (tx) => {
        const row = await findRow(tx, idOrName, true);
        const { rows } = await tx.query<PrincipalRow>(`update ${t.principals} set revoked_at = coalesce(revoked_at, now()) where principal_id = $1 returning *`, [row.principal_id]);
        await tx.query(`update ${t.apiKeys} set revoked_at = now() where principal_id = $1 and (revoked_at is null or revoked_at > now())`, [row.principal_id]);
        return stored(rows[0]!, await keysOf(tx, [row.principal_id]));
      });
      forgetCached();
      return result;
    },

    async revokeKey(prefix) {
      const { rows } = await db.query<ApiKeyRow>(
        `update ${t.apiKeys} set revoked_at = case when revoked_at is null or revoked_at > now() then now() else revoked_at end
         where key_prefix = $1 returning key_prefix, principal_id, created_at, last_used_at, revoked_at`,
        [normaliseKeyPrefix(prefix)],
      );
      forgetCached();
      const row = rows[0];
      if (!row) throw new PrincipalStoreError(PrincipalStoreErrorCode.KeyNotFound, `No API key has the prefix ${JSON.stringify(prefix)}. Fix: \`principals list\` shows each key's prefix (dpg_ and 8 characters).`);
      return storedKey(row);
    },

    async authenticateApiKey(key) {
      const parsed = parseApiKey(key);
      if (!parsed) return null;
      const hash = hashApiKey(key);
      const cacheKey = hash.toString('base64url');
      const cached = authenticated?.get(cacheKey);
      if (cached) return cached;
      const { rows } = await db.query<PrincipalRow & { key_hash: Uint8Array; key_revoked_at: Date | null }>(
        `select p.*, k.key_hash, k.revoked_at as key_revoked_at from ${t.apiKeys} k join ${t.principals} p using (principal_id)
         where k.key_prefix = $1 and (k.revoked_at is null or k.revoked_at > now()) and p.revoked_at is null`,
        [parsed.prefix],
      );
      const row = rows[0];
      // The prefix is public; the hash comparison is what proves possession, in constant time.
      if (!row || row.key_hash.length !== hash.length || !timingSafeEqual(row.key_hash, hash)) return null;
      if (!touched.has(parsed.prefix)) {
        touched.set(parsed.prefix, true);
        await db
          .query(`update ${t.apiKeys} set last_used_at = now() where key_prefix = $1 and (last_used_at is null or last_used_at < now() - make_interval(secs => $2))`, [parsed.prefix, lastUsedIntervalMs / 1000])
          .catch(() => undefined); // bookkeeping: never fail a request because of it
      }
      const principal = freeze({ ...grantsOf(row), credential: { kind: 'apiKey', prefix: parsed.prefix } });
      // A key in its rotation grace must not outlive its end in the cache.
      const untilRevoked = row.key_revoked_at ? row.key_revoked_at.getTime() - Date.now() : Number.POSITIVE_INFINITY;
      if (authenticated && untilRevoked > 0) authenticated.set(cacheKey, principal, { ttl: Math.max(1, Math.min(ttlMs, Math.floor(untilRevoked))) });
      return principal;
    },

    async getActive(principalId, credential) {
      let grants = active?.get(principalId);
      if (!grants) {
        const { rows } = await db.query<PrincipalRow>(`select * from ${t.principals} where principal_id = $1 and revoked_at is null`, [principalId]);
        if (!rows[0]) return null;
        grants = grantsOf(rows[0]);
        active?.set(principalId, grants);
      }
      return freeze({ ...grants, credential });
    },
  };
}

function grantsOf(row: PrincipalRow): Omit<Principal, 'credential'> {
  return { id: row.principal_id, name: row.principal_name, audience: row.audience, contracts: row.contracts, rights: row.rights, rowScope: row.row_scope };
}

function storedKey(row: ApiKeyRow): StoredApiKey {
  return { prefix: row.key_prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

/** Principals are shared by cached lookups: frozen, so no caller can widen another request's grants. */
function freeze(principal: Principal): Principal {
  Object.freeze(principal.contracts);
  Object.freeze(principal.rights);
  if (principal.rowScope) {
    for (const values of Object.values(principal.rowScope)) Object.freeze(values);
    Object.freeze(principal.rowScope);
  }
  Object.freeze(principal.credential);
  return Object.freeze(principal);
}
