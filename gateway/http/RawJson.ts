/**
 * A value of `data` kept as the JSON text PostgreSQL printed (a contract read compiled to SQL),
 * written into the response as it is: parsing it into objects only to print them again was a
 * sixth of the gateway's CPU per large page (bench/results/query.md). Whoever reads it as a value
 * still can: `toJSON` parses it (JSON.stringify anywhere gives the same JSON), and `rows` says how
 * many records it holds, for counting without parsing. An extension the same for every request of
 * a document (lineage) is kept printed the same way.
 */
export class RawJson {
  constructor(
    readonly text: string,
    /** Records it holds: a list's length, 1 for an object, 0 for null. */
    readonly rows: number,
  ) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * `JSON.stringify` of a GraphQL response, with the `RawJson` values of its `data` and its
 * `extensions` spliced in as their text: same output as `JSON.stringify(value)` (keys in the same
 * order, `undefined` left out).
 *
 * Every piece around the spliced texts is made one-byte when its characters allow (see
 * `asOneByte`): a single two-byte piece (a lineage string sliced from an SDL file with one "—" in
 * it) made V8 build the whole response, page included, as a two-byte string of twice the size,
 * which lands in its large-object space: three mmap/munmap rounds per request and a third of the
 * gateway's CPU per page (bench/results/query.md).
 */
export function stringifyWithRawJson(value: unknown): string {
  const { data, extensions } = (value ?? {}) as { data?: unknown; extensions?: unknown };
  if (!holdsRawJson(data) && !holdsRawJson(extensions)) return JSON.stringify(value);
  const spliced = (_: string, field: unknown) => (field instanceof RawJson ? field.text : printValue(field));
  return printObject(value as Record<string, unknown>, (key, v) => ((key === 'data' || key === 'extensions') && holdsRawJson(v) ? printObject(v as Record<string, unknown>, spliced) : printValue(v)));
}

function holdsRawJson(object: unknown): boolean {
  return !!object && typeof object === 'object' && Object.values(object).some((v) => v instanceof RawJson);
}

function printValue(value: unknown): string | undefined {
  const printed = JSON.stringify(value) as string | undefined;
  return printed === undefined ? undefined : asOneByte(printed);
}

function printObject(object: Record<string, unknown>, print: (key: string, value: unknown) => string | undefined): string {
  let out = '{';
  let first = true;
  for (const [key, value] of Object.entries(object)) {
    const printed = value === undefined ? undefined : print(key, value);
    if (printed === undefined) continue;
    out += `${first ? '' : ','}${asOneByte(JSON.stringify(key))}:${printed}`;
    first = false;
  }
  return `${out}}`;
}

const LATIN1 = /^[\u0000-\u00ff]*$/;

/**
 * The same text, held one byte per character when every character fits in one (V8 keeps a string
 * two-byte when it was cut from, or built with, a two-byte string, whatever its characters).
 * JavaScript cannot ask a string's representation, so every Latin-1 text is copied through a
 * Latin-1 decode, which always yields a one-byte string; the pieces this is used on are small.
 */
export function asOneByte(text: string): string {
  return LATIN1.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : text;
}
