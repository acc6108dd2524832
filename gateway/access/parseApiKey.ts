import { createHash, randomBytes } from 'node:crypto';

/**
 * API key format: `dpg_<key id>_<secret>`, where the key id is 8 lowercase base32 characters
 * (public: shown in listings and the audit log, used to look the key up) and the secret is 32
 * random bytes in base64url (43 characters). The `dpg_` prefix lets secret scanners and the
 * authenticator tell an API key from a JWT at a glance.
 */
export const API_KEY_PATTERN = /^(dpg_[a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;
export const API_KEY_LENGTH = 56;
export const API_KEY_SHAPE = 'dpg_<8 lowercase characters>_<43 base64url characters> (56 characters)';

export interface ParsedApiKey {
  /** `dpg_` + key id: the public part, stored in clear. */
  prefix: string;
}

/** The key's public prefix, or null when the string does not have the API key shape. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = API_KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]! } : null;
}

/** A fresh key; the caller shows it once and stores only `prefix` and `hashApiKey(key)`. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `dpg_${randomId(8)}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/**
 * SHA-256 of the whole key. A fast hash is right here (no bcrypt/scrypt): the key carries 256
 * bits of entropy, so nobody can guess it from its hash however fast they hash; slow hashes
 * exist for low-entropy passwords, and would only cost CPU on every request.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `length` random lowercase base32 characters (5 bits each; 256 % 32 = 0, so unbiased). */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += BASE32[byte % 32];
  return id;
}

/** Accepts `dpg_abcd2345` or `abcd2345`, as an operator may type either. */
export function normaliseKeyPrefix(prefix: string): string {
  return prefix.startsWith('dpg_') ? prefix : `dpg_${prefix}`;
}
