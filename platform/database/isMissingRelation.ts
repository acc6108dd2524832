/**
 * True for PostgreSQL's "undefined table" (42P01) and "invalid schema name" (3F000): the tables a
 * reader expects have not been created yet (a context whose projector never ran against this
 * database), as opposed to a failure worth reporting.
 */
export function isMissingRelation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '3F000';
}
