import { describe, expect, it } from 'vitest';
import { decodeOrderChangeCursor, encodeOrderChangeCursor } from './orderChangeCursor.js';

describe('order change cursor', () => {
  it('given a position, when encoded and decoded, then it is the same position (order ids may hold colons)', () => {
    const position = { generation: '16384', changeXid: '18446744073709551615', orderId: 'ord:000001:é' };
    const cursor = encodeOrderChangeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeOrderChangeCursor(cursor)).toEqual(position);
  });

  it('given anything the feed did not issue, then it is not a cursor', () => {
    const valid = encodeOrderChangeCursor({ generation: '1', changeXid: '2', orderId: 'ab' });
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    // 10 bytes take 14 characters, whose last 4 bits are unused: setting one decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const strayBit = `${valid.slice(0, -1)}${alphabet[alphabet.indexOf(valid.at(-1)!) + 1]}`;
    expect(Buffer.from(strayBit, 'base64url')).toEqual(Buffer.from(valid, 'base64url'));
    for (const cursor of [
      '',
      'not a cursor',
      `${valid}=`, // padding: not what we write
      strayBit,
      b64('xid:seq'),
      b64('oc1:1:2:'), // no order id
      b64('oc2:1:2:o'), // another format
      b64('oc1:4294967296:2:o'), // generation beyond an oid
      b64('oc1:1:18446744073709551616:o'), // beyond an xid8
      b64('oc1:-1:2:o'),
      'A'.repeat(2000),
    ]) {
      expect(decodeOrderChangeCursor(cursor), cursor).toBeNull();
    }
  });
});
