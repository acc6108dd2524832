/**
 * PostgreSQL's binary wire format for the scalar types the write paths use, and one-dimensional
 * arrays of them: shared by binary COPY (encodeBinaryCopy) and binary array parameters
 * (arrayParam). Each encoder sizes first, then writes into a buffer the caller allocated once.
 */

/** Scalar column types the binary encoders support (what the evidence and projection write paths need). */
export type CopyScalarType = 'text' | 'int4' | 'int8' | 'numeric' | 'bytea' | 'jsonb' | 'timestamptz';
/** A scalar type, or a one-dimensional array of it (`bytea[]`: a batch's record values in one field). */
export type CopyColumnType = CopyScalarType | `${CopyScalarType}[]`;
/**
 * `timestamptz` takes a Date or milliseconds since the epoch; `int8` a number or a decimal
 * string; `numeric` a decimal string (`-12.30`: no exponent, no NaN), rounded by the column's scale.
 */
export type CopyScalar = string | number | Buffer | Date | null;
export type CopyValue = CopyScalar | readonly CopyScalar[];

/** Element type OIDs, which the binary array format names (pg_type.oid, fixed for built-in types). */
const ELEMENT_OID: Record<CopyScalarType, number> = { text: 25, int4: 23, int8: 20, numeric: 1700, bytea: 17, jsonb: 3802, timestamptz: 1184 };
/** ndim, has-null flag, element OID; then, for one dimension, its length and lower bound. */
const ARRAY_HEADER_BYTES = 20;
const EMPTY_ARRAY_BYTES = 12;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/** The field's length in bytes, without its 4-byte length prefix. */
export function fieldBytes(type: CopyColumnType, value: Exclude<CopyValue, null>): number {
  if (isArrayType(type)) return arrayBytes(elementType(type), asArray(type, value));
  return scalarBytes(type, value as Exclude<CopyScalar, null>);
}

/**
 * At least the field's length (fieldBytes), without measuring text or parsing decimals: UTF-8
 * takes at most three bytes per UTF-16 unit, and measuring every string first cost as much as
 * writing it.
 */
export function fieldBytesAtMost(type: CopyColumnType, value: Exclude<CopyValue, null>): number {
  if (type === 'text') return 3 * String(value).length;
  if (type === 'text[]') return arrayBytesAtMost('text', asArray(type, value));
  // A base-10000 digit per four decimal ones, and one more on each side of the point.
  if (type === 'numeric') return 8 + 2 * (Math.ceil(String(value).length / 4) + 2);
  return fieldBytes(type, value);
}

/** Writes the length prefix and the field at `at`; returns the offset after it. */
export function writeField(out: Buffer, at: number, type: CopyColumnType, value: Exclude<CopyValue, null>): number {
  if (!isArrayType(type)) return writeScalar(out, at, type, value as Exclude<CopyScalar, null>);
  const start = at;
  at = writeArray(out, at + 4, elementType(type), asArray(type, value));
  out.writeInt32BE(at - start - 4, start);
  return at;
}

/** A one-dimensional array's length in bytes, in the binary array format (no length prefix). */
export function arrayBytes(element: CopyScalarType, elements: readonly CopyScalar[]): number {
  if (elements.length === 0) return EMPTY_ARRAY_BYTES;
  let size = ARRAY_HEADER_BYTES;
  for (const item of elements) size += 4 + (item === null ? 0 : scalarBytes(element, item));
  return size;
}

/** At least the array's length in bytes (arrayBytes), without measuring text (see fieldBytesAtMost). */
export function arrayBytesAtMost(element: CopyScalarType, elements: readonly CopyScalar[]): number {
  if (element !== 'text') return arrayBytes(element, elements);
  let size = ARRAY_HEADER_BYTES;
  for (const item of elements) size += 4 + (item === null ? 0 : 3 * String(item).length);
  return size;
}

/** Writes a one-dimensional array (no length prefix) at `at`; returns the offset after it. */
export function writeArray(out: Buffer, at: number, element: CopyScalarType, elements: readonly CopyScalar[]): number {
  at = out.writeInt32BE(elements.length === 0 ? 0 : 1, at);
  at = out.writeInt32BE(elements.includes(null) ? 1 : 0, at);
  at = out.writeInt32BE(ELEMENT_OID[element], at);
  if (elements.length > 0) {
    at = out.writeInt32BE(elements.length, at);
    at = out.writeInt32BE(1, at);
    // Text, the most common element by far, in a loop of its own (no dispatch per element).
    if (element === 'text') for (const item of elements) at = item === null ? out.writeInt32BE(-1, at) : writeText(out, at, String(item));
    else for (const item of elements) at = item === null ? out.writeInt32BE(-1, at) : writeScalar(out, at, element, item);
  }
  return at;
}

/** Below this many UTF-16 units, a loop copies ASCII text faster than Buffer#write, whose call costs more than a short copy. */
const SHORT_TEXT = 16;

/**
 * Writes the length prefix and the UTF-8 bytes of `text`. Short ASCII (codes, states, small ids)
 * is copied by a loop; anything else, or text the loop meets a non-ASCII unit in, by Buffer#write.
 */
function writeText(out: Buffer, at: number, text: string): number {
  const start = at + 4;
  const length = text.length;
  let end = start;
  let i = 0;
  if (length < SHORT_TEXT) {
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      out[end++] = code;
    }
  }
  if (i < length) end = start + out.write(text, start, 'utf8');
  out.writeInt32BE(end - start, at);
  return end;
}

/** A signed 64-bit integer: without a BigInt when the number is safe (every time and offset here). */
function writeInt64(out: Buffer, at: number, value: number | string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    const high = Math.floor(value / 2 ** 32);
    out.writeInt32BE(high, at);
    return out.writeUInt32BE(value - high * 2 ** 32, at + 4);
  }
  return out.writeBigInt64BE(BigInt(value), at);
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

function scalarBytes(type: CopyScalarType, value: Exclude<CopyScalar, null>): number {
  switch (type) {
    case 'text':
      return Buffer.byteLength(String(value), 'utf8');
    case 'int4':
      return 4;
    case 'int8':
    case 'timestamptz':
      return 8;
    case 'numeric':
      return 8 + 2 * numericDigits(String(value)).digits.length;
    case 'bytea':
      return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value), 'utf8');
    case 'jsonb':
      // The jsonb binary format: a version byte (1), then the JSON text.
      return 1 + Buffer.byteLength(String(value), 'utf8');
  }
}

/** Writes the length prefix and the value at `at`; returns the offset after it. */
function writeScalar(out: Buffer, at: number, type: CopyScalarType, value: Exclude<CopyScalar, null>): number {
  switch (type) {
    case 'text':
      return writeText(out, at, String(value));
    case 'int4':
      out.writeInt32BE(4, at);
      return out.writeInt32BE(Number(value), at + 4);
    case 'int8':
      out.writeInt32BE(8, at);
      return writeInt64(out, at + 4, value as number | string);
    case 'numeric': {
      const { digits, weight, negative, scale } = numericDigits(String(value));
      out.writeInt32BE(8 + 2 * digits.length, at);
      at = out.writeInt16BE(digits.length, at + 4);
      at = out.writeInt16BE(weight, at);
      at = out.writeUInt16BE(negative ? NUMERIC_NEGATIVE : 0, at);
      at = out.writeInt16BE(scale, at);
      for (const digit of digits) at = out.writeInt16BE(digit, at);
      return at;
    }
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
      // A string would be parsed to milliseconds here, silently dropping any microseconds it
      // carries: callers convert, knowing what precision their strings have.
      if (typeof value !== 'number' && !(value instanceof Date)) throw new Error(`binary timestamptz needs a Date or epoch milliseconds, received ${typeof value}`);
      const ms = value instanceof Date ? value.getTime() : value;
      if (!Number.isFinite(ms)) throw new Error(`binary timestamptz needs a valid time, received ${String(value)}`);
      out.writeInt32BE(8, at);
      return writeInt64(out, at + 4, Math.round((ms - POSTGRES_EPOCH_MS) * 1000));
    }
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const NUMERIC_NEGATIVE = 0x4000;

/**
 * A decimal string as numeric's binary form: base-10000 digits, the weight of the first (groups
 * of four decimal digits before the point, less one), the sign, and the display scale (decimal
 * digits after the point). The server strips zero digits and applies the column's typmod.
 */
function numericDigits(text: string): { digits: number[]; weight: number; negative: boolean; scale: number } {
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`binary numeric needs a decimal string like -12.30, received ${JSON.stringify(text)}`);
  const whole = match[2]!;
  const fraction = match[3] ?? '';
  const paddedWhole = '0'.repeat((4 - (whole.length % 4)) % 4) + whole;
  const paddedFraction = fraction + '0'.repeat((4 - (fraction.length % 4)) % 4);
  const digits: number[] = [];
  for (let i = 0; i < paddedWhole.length; i += 4) digits.push(Number(paddedWhole.slice(i, i + 4)));
  for (let i = 0; i < paddedFraction.length; i += 4) digits.push(Number(paddedFraction.slice(i, i + 4)));
  return { digits, weight: paddedWhole.length / 4 - 1, negative: match[1] === '-', scale: fraction.length };
}
