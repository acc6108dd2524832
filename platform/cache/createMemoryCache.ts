import type { Cache } from './Cache.js';

export interface MemoryCacheOptions {
  /** Clock, for tests of expiry. Default `Date.now`. */
  now?: () => number;
  /**
   * How often (ms, by `now`) a write also drops every expired entry. Default 60 s. Expiry is
   * otherwise lazy (on read), and keys nobody reads again (yesterday's rate-limit windows, usage
   * buckets past their window) would stay in the process for ever.
   */
  sweepIntervalMs?: number;
}

/** The in-memory adapter, plus what a test needs to check that its keys stay bounded. */
export interface MemoryCache extends Cache {
  readonly kind: 'memory';
  /**
   * Keys held, strings and hashes alike, expired ones not yet swept included: what the process
   * pays for (a stricter count than SCAN on Redis, which skips most expired keys).
   */
  size(): number;
}

type Entry = { kind: 'string'; value: string; expiresAt: number } | { kind: 'hash'; fields: Map<string, string>; expiresAt: number };

/** The embedded default: one process, so a Map with lazy expiry (and a periodic sweep) is enough. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const now = options.now ?? Date.now;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const entries = new Map<string, Entry>();
  let sweptAt = now();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const t = now();
    if (t - sweptAt < sweepIntervalMs) return;
    sweptAt = t;
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  };
  const stringAt = (key: string) => {
    const entry = live(key);
    if (entry && entry.kind !== 'string') throw wrongType(key);
    return entry;
  };
  const hashAt = (key: string) => {
    const entry = live(key);
    if (entry && entry.kind !== 'hash') throw wrongType(key);
    return entry;
  };
  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs);
  return {
    kind: 'memory',
    get: async (key) => stringAt(key)?.value ?? null,
    async set(key, value, ttlMs) {
      sweep();
      entries.set(key, { kind: 'string', value, expiresAt: expiry(ttlMs) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, windowMs) {
      sweep();
      const entry = stringAt(key);
      const value = String(Number(entry?.value ?? '0') + 1);
      entries.set(key, { kind: 'string', value, expiresAt: entry?.expiresAt ?? expiry(windowMs) });
      return Number(value);
    },
    async hashIncrement(key, increments, ttlMs) {
      sweep();
      const entry = hashAt(key) ?? { kind: 'hash' as const, fields: new Map<string, string>(), expiresAt: expiry(ttlMs) };
      for (const [field, by] of Object.entries(increments)) entry.fields.set(field, String(Number(entry.fields.get(field) ?? '0') + by));
      entries.set(key, entry);
    },
    async hashMax(key, values, ttlMs) {
      sweep();
      const entry = hashAt(key) ?? { kind: 'hash' as const, fields: new Map<string, string>(), expiresAt: 0 };
      for (const [field, value] of Object.entries(values)) {
        if (value > Number(entry.fields.get(field) ?? '-Infinity')) entry.fields.set(field, String(value));
      }
      entry.expiresAt = expiry(ttlMs);
      entries.set(key, entry);
    },
    hashGetAll: async (key) => Object.fromEntries(hashAt(key)?.fields ?? []),
    async admitToBoundedSet(key, member, { capacity, now: at, evictBefore, ttlMs }) {
      sweep();
      const entry = hashAt(key) ?? { kind: 'hash' as const, fields: new Map<string, string>(), expiresAt: 0 };
      if (!entry.fields.has(member) && entry.fields.size >= capacity) {
        for (const [m, admittedAt] of entry.fields) if (Number(admittedAt) < evictBefore) entry.fields.delete(m);
        if (entry.fields.size >= capacity) return false;
      }
      entry.fields.set(member, String(at));
      entry.expiresAt = expiry(ttlMs);
      entries.set(key, entry);
      return true;
    },
    size: () => entries.size,
    async close() {
      entries.clear();
    },
  };
}

/** What Redis answers for a command on a key of the other kind: a bug in the caller, never data. */
function wrongType(key: string): Error {
  return new Error(`WRONGTYPE: key ${JSON.stringify(key)} holds another kind of value (string vs hash); use one kind per key.`);
}
