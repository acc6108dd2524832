import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import type { FreshnessReader } from './createFreshnessReader.js';
import { onSelectedFields } from './onSelectedFields.js';

/** `extensions.freshness`: for each projection behind the selected fields, how fresh it is against the contract's SLA. */
export function useFreshness(contract: CompiledContract, reader: FreshnessReader): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, async (coordinates, requestContext) => {
    const byProjection = new Map<string, string[]>();
    for (const coordinate of coordinates) {
      for (const link of contract.fields.get(coordinate)?.lineage ?? []) {
        byProjection.set(link.projection, [...new Set([...(byProjection.get(link.projection) ?? []), coordinate])]);
      }
    }
    const freshness = await Promise.all([...byProjection].map(async ([projection, fields]) => ({ ...(await reader.read(projection, contract.meta.freshnessSlaSeconds)), fields })));
    addExtension(requestContext, 'freshness', freshness);
  });
}
