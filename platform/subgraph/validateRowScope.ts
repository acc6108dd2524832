import type { RowScope, RowScopeDimension } from './RowScope.js';
import { SubgraphError, SubgraphErrorCode } from './SubgraphError.js';

/**
 * Checks a row scope against the dimensions a subgraph version declares, and returns it (or
 * null for "no restriction"). Every problem is reported at once, each naming the dimension or
 * value received and the allowed ones: a scope that cannot be enforced must never be ignored.
 */
export function validateRowScope(subgraphId: string, declared: Readonly<Record<string, RowScopeDimension>>, rowScope: RowScope | null | undefined): RowScope | null {
  if (rowScope === null || rowScope === undefined) return null;
  const problems: string[] = [];
  const dimensions = Object.keys(declared);
  for (const [dimension, values] of Object.entries(rowScope)) {
    const known = declared[dimension];
    if (!known) {
      problems.push(`unknown dimension ${JSON.stringify(dimension)} (${subgraphId} can be restricted by ${dimensions.length > 0 ? dimensions.map((d) => JSON.stringify(d)).join(', ') : 'nothing'})`);
      continue;
    }
    if (!Array.isArray(values)) {
      problems.push(`dimension ${JSON.stringify(dimension)} needs a list of values, received ${JSON.stringify(values)}`);
      continue;
    }
    for (const value of values) {
      if (!known.values.includes(value)) problems.push(`dimension ${JSON.stringify(dimension)} has no value ${JSON.stringify(value)} (allowed: ${known.values.join(', ')})`);
    }
  }
  if (problems.length > 0) throw new SubgraphError(SubgraphErrorCode.RowScopeInvalid, `Row scope for ${subgraphId} cannot be enforced: ${problems.join('; ')}.`);
  return rowScope;
}
