import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

export interface CursorSealer {
  /** An opaque cursor for this principal: `c1.` + base64url(nonce ‖ ciphertext ‖ tag). */
  seal(principalId: string, cursor: string): string;
  /** The subgraph's cursor, or null when `sealed` was not sealed for this principal by this gateway. */
  unseal(principalId: string, sealed: string): string | null;
}

const PREFIX = 'c1.';

/**
 * Seals a context's feed cursors before they leave the gateway. A subgraph cursor names a
 * position (here a transaction id and an order id): handed out as is, the gaps between a
 * partner's cursors would count other channels' activity. Sealed with AES-256-GCM under a key
 * per principal (HKDF from the server secret), a cursor says nothing and works only for the
 * principal it was issued to. The nonce is an HMAC of the cursor, so one position always seals
 * to one string (a reader can compare cursors; equal positions are all that is revealed).
 */
export function createCursorSealer(secret: string | Uint8Array): CursorSealer {
  const keys = new Map<string, { enc: Buffer; nonce: Buffer }>();
  const keysOf = (principalId: string) => {
    let k = keys.get(principalId);
    if (!k) {
      const material = Buffer.from(hkdfSync('sha256', secret, Buffer.from('data-product-gateway/cursor'), Buffer.from(principalId, 'utf8'), 64));
      k = { enc: material.subarray(0, 32), nonce: material.subarray(32) };
      keys.set(principalId, k);
    }
    return k;
  };
  return {
    seal(principalId, cursor) {
      const { enc, nonce: nonceKey } = keysOf(principalId);
      const nonce = createHmac('sha256', nonceKey).update(cursor, 'utf8').digest().subarray(0, 12);
      const cipher = createCipheriv('aes-256-gcm', enc, nonce);
      const body = Buffer.concat([cipher.update(cursor, 'utf8'), cipher.final()]);
      return `${PREFIX}${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    unseal(principalId, sealed) {
      if (!sealed.startsWith(PREFIX)) return null;
      const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (bytes.length < 12 + 16 + 1 || bytes.toString('base64url') !== sealed.slice(PREFIX.length)) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', keysOf(principalId).enc, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
