/** One row of COPY text output: each column's text, or null for SQL NULL. */
export type TextRow = Array<string | null>;

const NEWLINE = 0x0a;

/**
 * Rows of `COPY ... TO STDOUT` in PostgreSQL's text format (tab-separated columns, `\N` for
 * NULL, backslash escapes), one batch per received chunk, so a caller holds one chunk's rows at a
 * time. Rows are split on the newline byte before decoding: UTF-8 never uses 0x0A inside a
 * multi-byte character, and a row's own newlines arrive escaped (`\n`), so a chunk boundary may
 * fall anywhere (mid-row, mid-character) without corrupting text.
 */
export async function* parseCopyText(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<TextRow[]> {
  let rest: Buffer | null = null;
  for await (const chunk of chunks) {
    const buffer: Buffer = rest ? Buffer.concat([rest, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buffer.lastIndexOf(NEWLINE);
    if (end < 0) {
      rest = buffer;
      continue;
    }
    // Copy the tail: a view would keep the whole chunk alive until the next one arrives.
    rest = end + 1 < buffer.length ? Buffer.from(buffer.subarray(end + 1)) : null;
    const lines = buffer.toString('utf8', 0, end).split('\n');
    const rows = new Array<TextRow>(lines.length);
    for (let i = 0; i < lines.length; i++) rows[i] = parseCopyLine(lines[i]!);
    yield rows;
  }
  if (rest !== null) throw new Error(`COPY output ended inside a row (${rest.length} bytes without a newline)`);
}

/** One line of COPY text (without its newline) as column values. */
export function parseCopyLine(line: string): TextRow {
  const fields = line.split('\t');
  const row = new Array<string | null>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    row[i] = field === '\\N' ? null : field.includes('\\') ? unescapeCopyText(field) : field;
  }
  return row;
}

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * COPY TO writes a backslash as `\\`, the control characters above as `\b` ... `\v`, and any
 * other escaped character (the delimiter) as backslash + itself; it never writes octal or hex
 * escapes, which only COPY FROM reads.
 */
function unescapeCopyText(field: string): string {
  let out = '';
  let from = 0;
  for (let at = field.indexOf('\\'); at >= 0 && at < field.length - 1; at = field.indexOf('\\', from)) {
    const next = field[at + 1]!;
    out += field.slice(from, at) + (ESCAPES[next] ?? next);
    from = at + 2;
  }
  return out + field.slice(from);
}
