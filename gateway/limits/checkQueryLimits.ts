import type { DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getVariableValues, Kind } from 'graphql';
import { checkPageSizes } from './checkPageSizes.js';
import { measureCost } from './measureCost.js';
import { measureShape } from './measureShape.js';
import type { QueryLimits } from './QueryLimits.js';
import { badUserInput, MAX_EXPANDED_SELECTIONS, queryLimitExceeded } from './queryLimitErrors.js';
import { fragmentsOf } from './walkFields.js';

export interface CheckQueryLimitsInput {
  /** The schema the operation was validated against (a contract's API schema). */
  schema: GraphQLSchema;
  /** The parsed, validated document; its token count is read from the parser's token list. */
  document: DocumentNode;
  /** The operation about to run. */
  operation: OperationDefinitionNode;
  /** The request's variables, as sent (coerced here against the operation's definitions). */
  variables?: Readonly<Record<string, unknown>> | null;
  limits: QueryLimits;
}

/**
 * The limits a request must meet before it runs; empty when it meets them all. Run after parsing
 * and validation (it trusts the document to be valid) and before execution, variables known.
 *
 * Cheapest first, and stop at the first stage that refuses, so the later walks only ever see a
 * document already known to be small and shallow:
 * 1. shape: tokens, aliases, depth → `QUERY_LIMIT_EXCEEDED` (all that exceed, at once);
 * 2. variables that do not coerce → `BAD_USER_INPUT` (execution would refuse them too);
 * 3. page sizes: every `first` within 0…maxPageSize → `BAD_USER_INPUT` naming the field;
 * 4. cost (see `measureCost`) → `QUERY_LIMIT_EXCEEDED`.
 * Every error carries `extensions.http.status` 400, which Apollo uses as the response status.
 */
export function checkQueryLimits({ schema, document, operation, variables, limits }: CheckQueryLimitsInput): GraphQLError[] {
  const shape = measureShape(schema, document, operation);
  const exceeded = [
    shape.tokens > limits.maxTokens ? queryLimitExceeded('tokens', shape.tokens, limits.maxTokens, limits) : null,
    shape.aliases > limits.maxAliases ? queryLimitExceeded('aliases', shape.aliases, limits.maxAliases, limits) : null,
    shape.depth > limits.maxDepth ? queryLimitExceeded('depth', shape.depth, limits.maxDepth, limits) : null,
  ].filter((error) => error !== null);
  if (exceeded.length > 0) return exceeded;

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...variables });
  if (coerced.errors) return coerced.errors.map(badUserInput);

  const fragments = fragmentsOf(document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION));
  const pageSizeErrors = checkPageSizes(schema, operation, fragments, coerced.coerced, limits);
  if (pageSizeErrors.length > 0) return pageSizeErrors;

  const cost = measureCost(schema, operation, fragments, { ...variables }, coerced.coerced);
  switch (cost.kind) {
    case 'tooManySelections':
      return [queryLimitExceeded('selections', MAX_EXPANDED_SELECTIONS + 1, MAX_EXPANDED_SELECTIONS, limits)];
    case 'measured':
      return cost.cost > limits.maxCost ? [queryLimitExceeded('cost', cost.cost, limits.maxCost, limits)] : [];
  }
}
