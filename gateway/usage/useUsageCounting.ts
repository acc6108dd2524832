import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract, ContractRequestContext } from '../contracts/index.js';
import { onSelectedFields } from '../metadata/index.js';
import type { UsageCounters } from './createUsageCounters.js';

/** The header clients name themselves with (Apollo's convention, which its client libraries send). */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';

/**
 * Counts every executed request, and each field it selected (`@skip`/`@include` applied: a
 * skipped field is not used), per client, for the catalog's usage and `check`'s "used in the
 * last 30 days". The client is the principal, or a declared consumer its client header names;
 * anything else is "unidentified" (see createUsageCounters). A cache failure never fails the
 * response: usage then under-counts, which the audit log (every request, exact) makes up for.
 */
export function useUsageCounting(contract: CompiledContract, counters: UsageCounters): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, async ({ coordinates }, requestContext) => {
    // Nothing executed (variables that do not coerce) or only introspection: no use of the contract's data.
    if (coordinates.length === 0) return;
    const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
    const clientName = requestContext.request.http?.headers.get(CLIENT_NAME_HEADER) ?? null;
    await counters.record({ contract: contract.meta, principalName: principal.name, clientName, coordinates }).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'warn', msg: 'usage not counted', contract: `${contract.meta.name}/v${contract.meta.version}`, error: String(error) }));
    });
  });
}
