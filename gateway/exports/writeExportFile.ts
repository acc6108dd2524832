import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ChangePage } from './readChangePages.js';

export interface WrittenExportFile {
  rows: number;
  /** Bytes of the file (gzip). */
  bytes: number;
  /** SHA-256 (hex) of the file's bytes, computed as they were written. */
  sha256: string;
  /** The last page's endCursor, else the cursor the export started from. */
  endCursor: string | null;
}

export interface WriteExportFileOptions {
  /** zlib level 1–9. */
  compressionLevel: number;
  /** The cursor the pages start after, reported back when they are all empty. */
  since: string | null;
  /** Called after each page is handed to the compressor, with the rows so far. */
  onProgress?: (rows: number) => void;
}

/**
 * Bytes of compressed output per hand-off from the compressor (on libuv's thread pool) to this
 * thread, and per file write. zlib's default, 16 KiB, makes about 4,000 round trips between the
 * threads (and as many writes) for a 1,000,000-row export; 128 KiB makes an eighth of them.
 */
const GZIP_CHUNK_BYTES = 128 * 1024;

/**
 * Writes pages as NDJSON (one row per line, UTF-8) through gzip into a new file at `path`
 * (refused if it exists), hashing the compressed bytes on their way to disk. Backpressure is the
 * stream pipeline's: a page is pulled only when the compressor has taken the previous one, so
 * memory holds about one page of text, never the file.
 */
export async function writeExportFile(pages: AsyncIterable<ChangePage>, path: string, options: WriteExportFileOptions): Promise<WrittenExportFile> {
  let rows = 0;
  let bytes = 0;
  let endCursor = options.since;
  const hash = createHash('sha256');

  async function* lines(): AsyncGenerator<string> {
    for await (const page of pages) {
      if (page.endCursor !== null) endCursor = page.endCursor;
      // A page planned in SQL arrives as JSON text already; one executed as GraphQL as objects.
      const count = page.lines ? page.lines.length : page.nodes.length;
      if (count === 0) continue;
      let text = '';
      if (page.lines) for (const line of page.lines) text += `${line}\n`;
      else for (const node of page.nodes) text += `${JSON.stringify(node)}\n`;
      rows += count;
      yield text;
      options.onProgress?.(rows);
    }
  }
  async function* measure(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }

  // highWaterMark 1: the reader does not run ahead of the compressor by more than one page.
  await pipeline(Readable.from(lines(), { objectMode: true, highWaterMark: 1 }), createGzip({ level: options.compressionLevel, chunkSize: GZIP_CHUNK_BYTES }), measure, createWriteStream(path, { flags: 'wx' }));
  return { rows, bytes, sha256: hash.digest('hex'), endCursor };
}
