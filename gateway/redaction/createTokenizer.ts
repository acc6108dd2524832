import { createHmac, hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface Tokenizer {
  /**
   * `tok_` + base64url(HMAC-SHA-256(key of principal, value)). Stable for one principal (a
   * partner can join its own pulls), unlinkable across principals (each has its own key).
   */
  tokenize(principalId: string, value: string): string;
}

/**
 * Per-principal HMAC keys are derived with HKDF from one server secret, so no per-principal key
 * is stored (a database leak alone does not let anyone recompute tokens), and rotating a
 * principal's API key does not change its tokens.
 */
export function createTokenizer(secret: string | Uint8Array, options: { cacheSize?: number } = {}): Tokenizer {
  const keys = new Map<string, Buffer>();
  // Tokens repeat (a customer on many orders, the same page pulled again): an HMAC costs about
  // ten times a cache hit. Default 50,000 entries, a few MB. Keys hold no secret beyond the value itself.
  const tokens = new LRUCache<string, string>({ max: options.cacheSize ?? 50_000 });
  const keyOf = (principalId: string): Buffer => {
    let key = keys.get(principalId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, Buffer.from('data-product-gateway/tokenize'), Buffer.from(principalId, 'utf8'), 32));
      keys.set(principalId, key);
    }
    return key;
  };
  return {
    tokenize(principalId, value) {
      const cacheKey = `${principalId}\u0000${value}`;
      let token = tokens.get(cacheKey);
      if (token === undefined) {
        token = `tok_${createHmac('sha256', keyOf(principalId)).update(value, 'utf8').digest('base64url')}`;
        tokens.set(cacheKey, token);
      }
      return token;
    },
  };
}
