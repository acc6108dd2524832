/** A value `quoteLiteral` can write into SQL text. */
export type LiteralValue = string | number | boolean | null | readonly string[];

/**
 * An SQL literal for a value, for the one place parameters cannot go: a `COPY (<select>)`
 * statement, which takes none. Strings become escape strings (`E'...'`, backslashes and quotes
 * doubled), so the result means the same whatever `standard_conforming_strings` says; arrays
 * become `ARRAY[...]`, cast by the statement as it would cast a parameter. NUL cannot be stored
 * in PostgreSQL text, so it is refused rather than truncated.
 */
export function quoteLiteral(value: LiteralValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`quoteLiteral: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new RangeError('quoteLiteral: text cannot contain NUL');
    return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  }
  return value.length === 0 ? `'{}'` : `ARRAY[${value.map(quoteLiteral).join(', ')}]`;
}
