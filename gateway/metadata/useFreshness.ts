import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import { collectSelectedFields } from './collectSelectedFields.js';
import type { FreshnessReader } from './createFreshnessReader.js';

/** `extensions.freshness`: for each projection behind the selected fields, how fresh it is against the contract's SLA. */
export function useFreshness(contract: CompiledContract, reader: FreshnessReader): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const { document, operation } = requestContext;
          if (!document || !operation) return;
          const byProjection = new Map<string, string[]>();
          for (const coordinate of collectSelectedFields(contract.schema, document, operation)) {
            for (const link of contract.fields.get(coordinate)?.lineage ?? []) {
              byProjection.set(link.projection, [...new Set([...(byProjection.get(link.projection) ?? []), coordinate])]);
            }
          }
          const freshness = await Promise.all([...byProjection].map(async ([projection, fields]) => ({ ...(await reader.read(projection, contract.meta.freshnessSlaSeconds)), fields })));
          addExtension(requestContext, 'freshness', freshness);
        },
      };
    },
  };
}
