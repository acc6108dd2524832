import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import { onSelectedFields } from './onSelectedFields.js';

/** `extensions.lineage`: per selected coordinate, compact refs down to topics; the catalog has the full chain. */
export function useLineageRefs(contract: CompiledContract): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, (coordinates, requestContext) => {
    const lineage: Record<string, Array<{ source: string; projection: string; columns: string[]; topics: string[] }>> = {};
    for (const coordinate of coordinates) {
      const field = contract.fields.get(coordinate);
      if (field) lineage[coordinate] = field.lineage.map((l) => ({ source: `${l.subgraph}:${l.subgraphField}`, projection: l.projection, columns: l.columns, topics: l.topics.map((t) => t.topic) }));
    }
    addExtension(requestContext, 'lineage', lineage);
  });
}
