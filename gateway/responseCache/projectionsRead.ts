import type { CompiledContract } from '../contracts/index.js';

/** Why an operation's answer is not cached. */
export type ResponseCacheBypassReason =
  /** A mutation, or a subscription: only queries are cached. */
  | 'NOT_A_QUERY'
  /**
   * A `@derived` field is computed in the gateway, and may read the clock (`journeyFlow`'s
   * `asOf` defaults to now): its value can change while no projection does.
   */
  | 'DERIVED_FIELD'
  /** A field without lineage: what it reads is unknown, so nothing says when its answer changes. */
  | 'NO_LINEAGE'
  /** The watermarks of a projection read could not be read, or the schema predates the change count. */
  | 'WATERMARKS_UNKNOWN'
  /** The cache did not answer (Redis down): the query is answered from the projections. */
  | 'CACHE_UNAVAILABLE';

export type ProjectionsRead = { kind: 'cacheable'; projections: string[] } | { kind: 'bypass'; reason: ResponseCacheBypassReason; field: string };

/**
 * The projections an operation's answer is read from: the union, over the selected fields
 * (coordinates, as collectSelection gives them), of the projections their contract lineage
 * names. Narrowing by path (narrowLineage) changes a link's columns and events, never its
 * projection, so the fields' own lineage is exact here.
 */
export function projectionsRead(contract: CompiledContract, coordinates: readonly string[]): ProjectionsRead {
  const projections = new Set<string>();
  for (const coordinate of coordinates) {
    const field = contract.fields.get(coordinate);
    if (!field || field.lineage.length === 0) return { kind: 'bypass', reason: 'NO_LINEAGE', field: coordinate };
    if (field.derived) return { kind: 'bypass', reason: 'DERIVED_FIELD', field: coordinate };
    for (const link of field.lineage) projections.add(link.projection);
  }
  return { kind: 'cacheable', projections: [...projections].sort() };
}
