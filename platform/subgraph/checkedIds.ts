import { GraphQLError } from 'graphql';

/** Most keys one batch lookup takes: each lookup is one statement per table, and its memory. */
export const MAX_IDS_PER_LOOKUP = 1000;

/** The keys of a batch lookup, or a precise BAD_USER_INPUT refusal past MAX_IDS_PER_LOOKUP. */
export function checkedIds(field: string, ids: readonly string[]): readonly string[] {
  if (ids.length > MAX_IDS_PER_LOOKUP) throw new GraphQLError(`${field} takes at most ${MAX_IDS_PER_LOOKUP} ids per request, received ${ids.length}; split the batch.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return ids;
}
