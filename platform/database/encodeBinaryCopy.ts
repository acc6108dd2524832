/** Scalar column types the binary COPY encoder supports (what the evidence path needs). */
export type CopyScalarType = 'text' | 'int4' | 'int8' | 'bytea' | 'jsonb' | 'timestamptz';
/** A scalar type, or a one-dimensional array of it (`bytea[]`: a batch's record values in one field). */
export type CopyColumnType = CopyScalarType | `${CopyScalarType}[]`;
export type CopyScalar = string | number | Buffer | Date | null;
export type CopyValue = CopyScalar | readonly CopyScalar[];

/** Element type OIDs, which the binary array format names (pg_type.oid, fixed for built-in types). */
const ELEMENT_OID: Record<CopyScalarType, number> = { text: 25, int4: 23, int8: 20, bytea: 17, jsonb: 3802, timestamptz: 1184 };
/** ndim, has-null flag, element OID; then, for one dimension, its length and lower bound. */
const ARRAY_HEADER_BYTES = 20;
const EMPTY_ARRAY_BYTES = 12;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
/** Signature, flags and header-extension length; then the trailer (-1 as int16). */
const HEADER_BYTES = SIGNATURE.length + 8;
const TRAILER_BYTES = 2;

/**
 * Encodes rows in PostgreSQL's binary COPY format: no text escaping, so bytes go to the server
 * as they are (half the volume of hex-encoded bytea), and the server does not parse arrays.
 * Two passes, sizes then writes, into one buffer: the evidence path encodes every record, and a
 * small buffer per field made this a hot spot for the garbage collector.
 */
export function encodeBinaryCopy(types: readonly CopyColumnType[], rows: ReadonlyArray<readonly CopyValue[]>): Buffer {
  let size = HEADER_BYTES + TRAILER_BYTES;
  for (const row of rows) {
    size += 2;
    for (let i = 0; i < types.length; i++) {
      const value = row[i] ?? null;
      size += 4 + (value === null ? 0 : fieldBytes(types[i]!, value));
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = SIGNATURE.copy(out, 0);
  out.fill(0, at, at + 8);
  at += 8;
  for (const row of rows) {
    at = out.writeInt16BE(types.length, at);
    for (let i = 0; i < types.length; i++) {
      const value = row[i] ?? null;
      if (value === null) at = out.writeInt32BE(-1, at);
      else at = writeField(out, at, types[i]!, value);
    }
  }
  at = out.writeInt16BE(-1, at);
  if (at !== size) throw new Error(`encodeBinaryCopy wrote ${at} bytes where it sized ${size}`);
  return out;
}

/** The field's length in bytes, without its 4-byte length prefix. */
function fieldBytes(type: CopyColumnType, value: Exclude<CopyValue, null>): number {
  if (isArrayType(type)) {
    const elements = asArray(type, value);
    if (elements.length === 0) return EMPTY_ARRAY_BYTES;
    const element = elementType(type);
    let size = ARRAY_HEADER_BYTES;
    for (const item of elements) size += 4 + (item === null ? 0 : scalarBytes(element, item));
    return size;
  }
  return scalarBytes(type, value as Exclude<CopyScalar, null>);
}

function scalarBytes(type: CopyScalarType, value: Exclude<CopyScalar, null>): number {
  switch (type) {
    case 'text':
      return Buffer.byteLength(String(value), 'utf8');
    case 'int4':
      return 4;
    case 'int8':
    case 'timestamptz':
      return 8;
    case 'bytea':
      return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value), 'utf8');
    case 'jsonb':
      // The jsonb binary format: a version byte (1), then the JSON text.
      return 1 + Buffer.byteLength(String(value), 'utf8');
  }
}

/** Writes the length prefix and the field at `at`; returns the offset after it. */
function writeField(out: Buffer, at: number, type: CopyColumnType, value: Exclude<CopyValue, null>): number {
  if (!isArrayType(type)) return writeScalar(out, at, type, value as Exclude<CopyScalar, null>);
  const elements = asArray(type, value);
  const element = elementType(type);
  const start = at;
  at += 4;
  at = out.writeInt32BE(elements.length === 0 ? 0 : 1, at);
  at = out.writeInt32BE(elements.includes(null) ? 1 : 0, at);
  at = out.writeInt32BE(ELEMENT_OID[element], at);
  if (elements.length > 0) {
    at = out.writeInt32BE(elements.length, at);
    at = out.writeInt32BE(1, at);
    for (const item of elements) at = item === null ? out.writeInt32BE(-1, at) : writeScalar(out, at, element, item);
  }
  out.writeInt32BE(at - start - 4, start);
  return at;
}

function isArrayType(type: CopyColumnType): type is `${CopyScalarType}[]` {
  return type.endsWith('[]');
}

function elementType(type: `${CopyScalarType}[]`): CopyScalarType {
  return type.slice(0, -2) as CopyScalarType;
}

function asArray(type: CopyColumnType, value: Exclude<CopyValue, null>): readonly CopyScalar[] {
  if (!Array.isArray(value)) throw new Error(`encodeBinaryCopy: a ${type} column needs an array value`);
  return value as readonly CopyScalar[];
}

function writeScalar(out: Buffer, at: number, type: CopyScalarType, value: Exclude<CopyScalar, null>): number {
  switch (type) {
    case 'text': {
      const written = out.write(String(value), at + 4, 'utf8');
      out.writeInt32BE(written, at);
      return at + 4 + written;
    }
    case 'int4':
      out.writeInt32BE(4, at);
      return out.writeInt32BE(Number(value), at + 4);
    case 'int8':
      out.writeInt32BE(8, at);
      return out.writeBigInt64BE(BigInt(value as number | string), at + 4);
    case 'bytea': {
      const written = Buffer.isBuffer(value) ? value.copy(out, at + 4) : out.write(String(value), at + 4, 'utf8');
      out.writeInt32BE(written, at);
      return at + 4 + written;
    }
    case 'jsonb': {
      out[at + 4] = 1;
      const written = out.write(String(value), at + 5, 'utf8');
      out.writeInt32BE(written + 1, at);
      return at + 5 + written;
    }
    case 'timestamptz': {
      const ms = value instanceof Date ? value.getTime() : Number(value);
      out.writeInt32BE(8, at);
      return out.writeBigInt64BE(BigInt(Math.round((ms - POSTGRES_EPOCH_MS) * 1000)), at + 4);
    }
  }
}
