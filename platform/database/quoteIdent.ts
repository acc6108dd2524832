/** Quotes an SQL identifier (schema or table name built from configuration). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
