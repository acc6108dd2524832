import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract, ContractAudience, ContractRequestContext } from '../contracts/index.js';
import { currentRequestScope } from '../errors/index.js';
import { RawJson } from '../http/RawJson.js';
import { collectSelection } from '../metadata/index.js';
import { redactionFor } from '../redaction/index.js';
import type { AuditRedaction } from './AuditEntry.js';
import type { AuditLog } from './createAuditLog.js';

/**
 * One audit entry per contract request that reached a principal: who, which contract version,
 * which operation (name and hash), which fields (coordinates, never values), how many rows,
 * which redactions, and the outcome. Requests refused before GraphQL runs are audited by the
 * HTTP layer as `access.denied`.
 */
export function useAuditTrail(contract: CompiledContract, audit: AuditLog): ApolloServerPlugin<BaseContext> {
  // Per selection (collectSelection gives one coordinates array per operation) and audience: the
  // fields and redactions an entry records, made once and frozen (the log prints them once, too).
  const made = new WeakMap<readonly string[], Map<string, Selected>>();
  const selected = (coordinates: readonly string[], audience: ContractAudience): Selected => {
    let perAudience = made.get(coordinates);
    if (!perAudience) made.set(coordinates, (perAudience = new Map()));
    let entry = perAudience.get(audience);
    if (!entry) {
      const redactions = coordinates.flatMap((field) => {
        const rule = redactionFor(contract.fields.get(field)?.redactions ?? [], audience);
        return rule ? [Object.freeze({ field, strategy: rule.strategy })] : [];
      });
      entry = { fields: Object.freeze([...coordinates]), redactions: Object.freeze(redactions) };
      perAudience.set(audience, entry);
    }
    return entry;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
          const { document, operation } = requestContext;
          const { fields, redactions } = document && operation ? selected(collectSelection(contract.schema, document, operation, requestContext.request.variables).coordinates, principal.audience) : NOTHING_SELECTED;
          const body = requestContext.response.body;
          const result = body.kind === 'single' ? body.singleResult : null;
          const firstError = result?.errors?.[0];
          audit.record({
            action: 'contract.query',
            principalId: principal.id,
            principalName: principal.name,
            audience: principal.audience,
            contract: `${contract.meta.name}/v${contract.meta.version}`,
            operationName: requestContext.operationName ?? null,
            operationHash: requestContext.queryHash,
            fieldsSelected: fields,
            rowsReturned: countRows(result?.data),
            redactions,
            outcome: firstError ? 'error' : 'ok',
            errorCode: typeof firstError?.extensions?.code === 'string' ? firstError.extensions.code : undefined,
            correlationId: currentRequestScope()?.correlationId ?? 'none',
          });
        },
      };
    },
  };
}

/** Rows a response carries: list lengths of the root fields (a page's `nodes`), 1 per single object. */
interface Selected {
  fields: readonly string[];
  redactions: readonly AuditRedaction[];
}

const NOTHING_SELECTED: Selected = Object.freeze({ fields: Object.freeze([]), redactions: Object.freeze([]) });

function countRows(data: Record<string, unknown> | null | undefined): number {
  let rows = 0;
  for (const value of Object.values(data ?? {})) {
    if (value instanceof RawJson) rows += value.rows;
    else if (Array.isArray(value)) rows += value.length;
    else if (value && typeof value === 'object') {
      const nodes = (value as { nodes?: unknown }).nodes;
      rows += Array.isArray(nodes) ? nodes.length : 1;
    }
  }
  return rows;
}
