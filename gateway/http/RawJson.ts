/**
 * A value of `data` kept as the JSON text PostgreSQL printed (a contract read compiled to SQL),
 * written into the response as it is: parsing it into objects only to print them again was a
 * sixth of the gateway's CPU per large page (bench/results/query.md). Whoever reads it as a value
 * still can: `toJSON` parses it (JSON.stringify anywhere gives the same JSON), and `rows` says how
 * many records it holds, for counting without parsing.
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
 * `JSON.stringify` of a GraphQL response, with the `RawJson` values of its `data` spliced in as
 * their text: same output as `JSON.stringify(value)` (keys in the same order, `undefined` left out).
 */
export function stringifyWithRawJson(value: unknown): string {
  const data = (value as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object' || !Object.values(data).some((v) => v instanceof RawJson)) return JSON.stringify(value);
  return printObject(value as Record<string, unknown>, (key, v) => (key === 'data' ? printObject(v as Record<string, unknown>, (_, field) => (field instanceof RawJson ? field.text : JSON.stringify(field))) : JSON.stringify(v)));
}

function printObject(object: Record<string, unknown>, print: (key: string, value: unknown) => string | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const printed = value === undefined ? undefined : print(key, value);
    if (printed !== undefined) parts.push(`${JSON.stringify(key)}:${printed}`);
  }
  return `{${parts.join(',')}}`;
}
