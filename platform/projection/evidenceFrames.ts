import type { LogRecord } from '../eventLog/index.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import { toStorableText } from './findUnstorableText.js';

/**
 * The records of one partition batch as one byte string, the stored form of the raw evidence
 * (see rawEvidence). Per record, big-endian: offset (int8), append time in ms (int8), key length
 * (int4, -1 for none) and key, value length (int4, -1 for a tombstone) and value, headers length
 * (int4) and headers as UTF-8 JSON. The SQL reader (`raw_evidence_records`, behind the
 * `raw_events` view) parses the same layout.
 */
export function encodeEvidenceFrames(records: readonly LogRecord[]): Buffer {
  const headers = records.map((r) => storableHeaders(r.headers));
  let size = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    size += 28 + (r.key?.length ?? 0) + (r.value?.length ?? 0) + Buffer.byteLength(headers[i]!, 'utf8');
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    at = writeInt64(out, at, r.offset);
    at = writeInt64(out, at, Math.round(r.timestamp));
    at = writeBytes(out, at, r.key);
    at = writeBytes(out, at, r.value);
    const written = out.write(headers[i]!, at + 4, 'utf8');
    out.writeInt32BE(written, at);
    at += 4 + written;
  }
  if (at !== size) throw new Error(`encodeEvidenceFrames wrote ${at} bytes where it sized ${size}`);
  return out;
}

/** The records of an evidence byte string, in stored (offset) order. */
export function decodeEvidenceFrames(topic: string, partition: number, frames: Uint8Array): LogRecord[] {
  const buffer = Buffer.isBuffer(frames) ? frames : Buffer.from(frames.buffer, frames.byteOffset, frames.byteLength);
  const records: LogRecord[] = [];
  let at = 0;
  const bytes = (): Buffer | null => {
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length < 0) return null;
    // A view, not a copy: the records live as long as their batch is being applied, as the
    // batch's bytes do.
    const slice = buffer.subarray(at, at + length);
    at += length;
    return slice;
  };
  try {
    while (at < buffer.length) {
      const offset = readInt64(buffer, at);
      const timestamp = readInt64(buffer, at + 8);
      at += 16;
      const key = bytes();
      const value = bytes();
      const headersLength = buffer.readInt32BE(at);
      const headers = headersLength === 2 ? {} : (JSON.parse(buffer.toString('utf8', at + 4, at + 4 + headersLength)) as Record<string, string>);
      at += 4 + headersLength;
      records.push({ topic, partition, offset, key, value, headers, timestamp });
    }
  } catch (error) {
    throw new PlatformError(PlatformErrorCode.ProjectionConflict, `The raw evidence of ${topic}/${partition} is not in the evidence layout (at byte ${at}): ${(error as Error).message}`);
  }
  return records;
}

/**
 * Offsets and times in milliseconds as int8, in two int4 halves: a BigInt per field (two per
 * record) was garbage for the collector, and both are safe integers, well inside 2^53.
 */
function writeInt64(out: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`evidence frames store safe integers, received ${value}`);
  const high = Math.floor(value / 2 ** 32);
  out.writeInt32BE(high, at);
  return out.writeUInt32BE(value - high * 2 ** 32, at + 4);
}

function readInt64(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 2 ** 32 + buffer.readUInt32BE(at + 4);
}

function writeBytes(out: Buffer, at: number, bytes: Buffer | null): number {
  if (bytes === null) return out.writeInt32BE(-1, at);
  out.writeInt32BE(bytes.length, at);
  return at + 4 + bytes.copy(out, at + 4);
}

/**
 * Headers as JSON, with text PostgreSQL cannot store (NUL, unpaired surrogates: Kafka headers
 * are any bytes) replaced by U+FFFD: headers are metadata, and the key and value, the evidence
 * itself, are kept as exact bytes. Without this one odd header would fail its batch for ever.
 */
function storableHeaders(headers: Record<string, string>): string {
  const entries = Object.entries(headers);
  if (entries.length === 0) return '{}';
  return JSON.stringify(Object.fromEntries(entries.map(([name, value]) => [toStorableText(name), toStorableText(value)])));
}
