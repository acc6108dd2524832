import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ContractRequestContext } from '../contracts/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { redactionFor } from '../redaction/index.js';
import { addExtension } from './addExtension.js';
import { onSelectedFields } from './onSelectedFields.js';

/**
 * `extensions.redactions`: which selected fields were redacted for this caller, and how, so a
 * consumer never mistakes `j***@example.test` for data. OMIT fields cannot be selected (they do
 * not exist in the caller's schema), so only MASK and TOKENIZE appear.
 */
export function useRedactionNotices(contract: CompiledContract): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, ({ coordinates }, requestContext) => {
    const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
    const redactions = coordinates.flatMap((coordinate) => {
      const rule = redactionFor(contract.fields.get(coordinate)?.redactions ?? [], principal.audience);
      return rule ? [{ field: coordinate, strategy: rule.strategy, ...(rule.mask ? { mask: rule.mask } : {}) }] : [];
    });
    if (redactions.length > 0) addExtension(requestContext, 'redactions', redactions);
  });
}
