import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache/index.js';

/** The cookie that carries a session id. */
export const SESSION_COOKIE = 'dpg_session';

export interface SessionStoreOptions {
  /** How long a session lives from its creation. Default 8 hours: a working day, then sign in again. */
  ttlMs?: number;
  /** Prefix of the cache keys. Default `session:` (the Redis adapter adds its own deployment prefix). */
  keyPrefix?: string;
}

export interface SessionStore {
  /** A new session for the principal: a random 32-byte id (base64url) to set as the cookie. */
  create(principalId: string): Promise<string>;
  /** The session's principal id, or null when unknown, expired, destroyed or malformed. */
  resolve(sessionId: string): Promise<string | null>;
  destroy(sessionId: string): Promise<void>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions in the cache port, so they work across gateway replicas when the cache is Redis. A
 * session holds only the principal id, never its grants: the authenticator reloads the principal
 * on each request, so revoking the principal ends its sessions too. The cache key is SHA-256 of
 * the id, so reading the cache does not let anyone ride a session.
 */
export function createSessionStore(cache: Cache, options: SessionStoreOptions = {}): SessionStore {
  const ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
  const keyPrefix = options.keyPrefix ?? 'session:';
  const keyOf = (sessionId: string) => `${keyPrefix}${sessionDigest(sessionId)}`;
  return {
    async create(principalId) {
      const sessionId = randomBytes(32).toString('base64url');
      await cache.set(keyOf(sessionId), principalId, ttlMs);
      return sessionId;
    },
    async resolve(sessionId) {
      if (!SESSION_ID.test(sessionId)) return null;
      return cache.get(keyOf(sessionId));
    },
    async destroy(sessionId) {
      if (SESSION_ID.test(sessionId)) await cache.delete(keyOf(sessionId));
    },
  };
}

/** SHA-256 of the session id, hex: the cache key, and (its first 8 characters) the audit reference. */
export function sessionDigest(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}
