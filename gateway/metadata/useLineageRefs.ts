import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract, ContractRequestContext } from '../contracts/index.js';
import { redactionFor } from '../redaction/index.js';
import { addExtension } from './addExtension.js';
import { onSelectedFields } from './onSelectedFields.js';

/**
 * `extensions.lineage`: per selected coordinate, compact refs down to topics; the catalog has the
 * full chain. A field redacted for the caller's audience shows no lineage, as in the catalog:
 * which internal column holds a partner's customer is not the partner's business.
 */
export function useLineageRefs(contract: CompiledContract): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, (coordinates, requestContext) => {
    const lineage: Record<string, Array<{ source: string; projection: string; columns: string[]; topics: string[] }>> = {};
    const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
    for (const coordinate of coordinates) {
      const field = contract.fields.get(coordinate);
      if (field && principal.audience !== 'INTERNAL' && redactionFor(field.redactions, principal.audience)) lineage[coordinate] = [];
      else if (field) lineage[coordinate] = field.lineage.map((l) => ({ source: `${l.subgraph}:${l.subgraphField}`, projection: l.projection, columns: l.columns, topics: l.topics.map((t) => t.topic) }));
    }
    addExtension(requestContext, 'lineage', lineage);
  });
}
