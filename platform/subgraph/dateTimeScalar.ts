import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Parses an RFC 3339 timestamp; anything else is a precise input error, never an Invalid Date. */
function parseTimestamp(value: unknown): Date {
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new GraphQLError(`DateTime must be an RFC 3339 timestamp such as "2026-11-02T08:00:00.000Z"; received ${JSON.stringify(value)?.slice(0, 60)}.`);
  return parsed;
}

/**
 * The `DateTime` scalar every subgraph declares: RFC 3339, UTC, milliseconds on output (from a
 * `Date` or anything `Date` parses); on input a full RFC 3339 timestamp, refused otherwise.
 */
export const dateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp, UTC, milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseTimestamp,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string holding an RFC 3339 timestamp.');
    return parseTimestamp(ast.value);
  },
});
