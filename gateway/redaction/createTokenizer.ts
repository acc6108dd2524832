import { createHmac, hkdfSync } from 'node:crypto';

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
export function createTokenizer(secret: string | Uint8Array): Tokenizer {
  const keys = new Map<string, Buffer>();
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
      return `tok_${createHmac('sha256', keyOf(principalId)).update(value, 'utf8').digest('base64url')}`;
    },
  };
}
