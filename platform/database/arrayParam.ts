import type { CopyScalar, CopyScalarType } from './binaryFields.js';
import { arrayBytesAtMost, writeArray } from './binaryFields.js';

/**
 * A one-dimensional array query parameter whose element type is declared, for set-based writes
 * (`unnest($1::text[], …)`) and look-ups (`= any($1::text[])`) of thousands of values. The
 * server adapter sends it in PostgreSQL's binary array format: the driver's text-array
 * serialisation (quoting and escaping every element) was the projector's write-path hot spot in
 * Node, and parsing that text again the server's. PGlite, in process, receives the plain array.
 * The SQL must cast the parameter to the same element type (`$1::int8[]` for `int8`): the server
 * refuses a binary array whose element type differs. A plain JS array still works everywhere.
 */
export class ArrayParam {
  #encoded: Buffer | undefined;

  /** `values` must not change once passed: the encoding is made once, for every query that sends it. */
  constructor(
    readonly elementType: CopyScalarType,
    readonly values: readonly CopyScalar[],
  ) {}

  /** The array in PostgreSQL's binary array format (array_recv's input). */
  encode(): Buffer {
    if (this.#encoded) return this.#encoded;
    const out = Buffer.allocUnsafe(arrayBytesAtMost(this.elementType, this.values));
    const end = writeArray(out, 0, this.elementType, this.values);
    return (this.#encoded = out.subarray(0, end));
  }
}

/** `arrayParam('text', ids)` for `$1::text[]`: see ArrayParam. */
export function arrayParam(elementType: CopyScalarType, values: readonly CopyScalar[]): ArrayParam {
  return new ArrayParam(elementType, values);
}
