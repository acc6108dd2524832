/**
 * A reader's place in the order change feed: the generation of the feed table (its oid: a
 * rebuild swaps in a new table, whose positions are not comparable with the old ones), and the
 * position of the last order delivered, (transaction id, order id).
 */
export interface OrderChangePosition {
  generation: string;
  changeXid: string;
  orderId: string;
}

const FORMAT = 'oc1';
const MAX_CURSOR_LENGTH = 1024;
const MAX_OID = 2n ** 32n - 1n;
const MAX_XID8 = 2n ** 64n - 1n;
const LAYOUT = /^oc1:(\d{1,10}):(\d{1,20}):(.+)$/s;

/** The opaque cursor a partner holds: base64url, so nobody is tempted to build one. */
export function encodeOrderChangeCursor(position: OrderChangePosition): string {
  return Buffer.from(`${FORMAT}:${position.generation}:${position.changeXid}:${position.orderId}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for, or null when it is not one `encodeOrderChangeCursor` made. */
export function decodeOrderChangeCursor(cursor: string): OrderChangePosition | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Decoding is lenient (stray bits, bad UTF-8): accept only the exact bytes we would have written.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) return null;
  const match = LAYOUT.exec(text);
  if (!match) return null;
  const [, generation, changeXid, orderId] = match as unknown as [string, string, string, string];
  if (BigInt(generation) > MAX_OID || BigInt(changeXid) > MAX_XID8) return null;
  return { generation, changeXid, orderId };
}
