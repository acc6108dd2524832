import type { CopyColumnType, CopyValue } from './binaryFields.js';
import { fieldBytesAtMost, writeField } from './binaryFields.js';

export type { CopyColumnType, CopyScalar, CopyScalarType, CopyValue } from './binaryFields.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags and header-extension length; then the trailer (-1 as int16). */
const HEADER_BYTES = SIGNATURE.length + 8;
const TRAILER_BYTES = 2;
/**
 * A bytea value at least this long travels as a chunk of its own, not copied into the payload:
 * COPY input is a byte stream, so a field may span chunks. The evidence path's one field per
 * batch (its records' frames, megabytes) was copied whole for nothing.
 */
const SEPARATE_CHUNK_BYTES = 64 * 1024;

/**
 * Encodes rows in PostgreSQL's binary COPY format: no text escaping, so bytes go to the server
 * as they are (half the volume of hex-encoded bytea), and the server does not parse arrays.
 * Two passes, sizes (at most: text is not measured) then writes, into one buffer: the evidence
 * path encodes every record, and a small buffer per field made this a hot spot for the garbage
 * collector. Returns the payload as chunks to send in order: slices of that buffer, and large
 * bytea values as they are.
 */
export function encodeBinaryCopy(types: readonly CopyColumnType[], rows: ReadonlyArray<readonly CopyValue[]>): Buffer[] {
  let size = HEADER_BYTES + TRAILER_BYTES;
  for (const row of rows) {
    size += 2;
    for (let i = 0; i < types.length; i++) {
      const value = row[i] ?? null;
      size += 4 + (value === null || isSeparate(types[i]!, value) ? 0 : fieldBytesAtMost(types[i]!, value));
    }
  }
  const out = Buffer.allocUnsafe(size);
  const chunks: Buffer[] = [];
  let at = SIGNATURE.copy(out, 0);
  out.fill(0, at, at + 8);
  at += 8;
  let chunkStart = 0;
  for (const row of rows) {
    at = out.writeInt16BE(types.length, at);
    for (let i = 0; i < types.length; i++) {
      const value = row[i] ?? null;
      if (value === null) at = out.writeInt32BE(-1, at);
      else if (isSeparate(types[i]!, value)) {
        at = out.writeInt32BE(value.length, at);
        chunks.push(out.subarray(chunkStart, at), value);
        chunkStart = at;
      } else at = writeField(out, at, types[i]!, value);
    }
  }
  at = out.writeInt16BE(-1, at);
  if (at > size) throw new Error(`encodeBinaryCopy wrote ${at} bytes where it sized at most ${size}`);
  chunks.push(out.subarray(chunkStart, at));
  return chunks;
}

function isSeparate(type: CopyColumnType, value: Exclude<CopyValue, null>): value is Buffer {
  return type === 'bytea' && Buffer.isBuffer(value) && value.length >= SEPARATE_CHUNK_BYTES;
}
