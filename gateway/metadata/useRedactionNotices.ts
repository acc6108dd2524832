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
  // Per selection (collectSelection gives one coordinates array per operation) and audience: made once.
  const made = new WeakMap<readonly string[], Map<string, readonly object[]>>();
  return onSelectedFields(contract, ({ coordinates }, requestContext) => {
    const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
    let perAudience = made.get(coordinates);
    if (!perAudience) made.set(coordinates, (perAudience = new Map()));
    let redactions = perAudience.get(principal.audience);
    if (!redactions) {
      redactions = Object.freeze(
        coordinates.flatMap((coordinate) => {
          const rule = redactionFor(contract.fields.get(coordinate)?.redactions ?? [], principal.audience);
          return rule ? [Object.freeze({ field: coordinate, strategy: rule.strategy, ...(rule.mask ? { mask: rule.mask } : {}) })] : [];
        }),
      );
      perAudience.set(principal.audience, redactions);
    }
    if (redactions.length > 0) addExtension(requestContext, 'redactions', redactions);
  });
}
