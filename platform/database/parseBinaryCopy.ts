/** One row of a binary COPY: each field's bytes in PostgreSQL's binary format, null for NULL. */
export type BinaryRow = Array<Buffer | null>;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Parses the whole output of `COPY … TO … (FORMAT binary)`: an 11-byte signature, flags (int32),
 * a header extension (int32 length, then its bytes), tuples (int16 field count, then per field an
 * int32 length, -1 for NULL, and the bytes), and an int16 -1 trailer. Fields are views into
 * `data`, not copies: a bytea field is its value as stored, with no hex text in between.
 */
export function parseBinaryCopy(data: Buffer): BinaryRow[] {
  const fail = (at: number, what: string): never => {
    // As parseCopyText: output the server wrote is not in its own format, a defect, not input.
    throw new Error(`binary COPY output is malformed at byte ${at}: ${what}`);
  };
  if (data.length < SIGNATURE.length + 8 || !data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) fail(0, 'no PGCOPY signature');
  let at = SIGNATURE.length + 4;
  at += 4 + data.readInt32BE(at);
  const rows: BinaryRow[] = [];
  for (;;) {
    if (at + 2 > data.length) fail(at, 'it ends before the trailer');
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const row: BinaryRow = new Array<Buffer | null>(fields);
    for (let i = 0; i < fields; i++) {
      if (at + 4 > data.length) fail(at, 'a field length runs past the end');
      const length = data.readInt32BE(at);
      at += 4;
      if (length === -1) {
        row[i] = null;
        continue;
      }
      if (length < 0 || at + length > data.length) fail(at, `a field of ${length} bytes runs past the end`);
      row[i] = data.subarray(at, at + length);
      at += length;
    }
    rows.push(row);
  }
  return rows;
}
