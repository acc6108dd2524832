import type { FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getArgumentValues, GraphQLError } from 'graphql';
import type { QueryLimits } from './QueryLimits.js';
import { badUserInput, pageSizeOutOfRange } from './queryLimitErrors.js';
import { walkFields } from './walkFields.js';

/**
 * Every argument named `first`, on any field, in the operation or its fragments, whether given
 * as a literal, a variable or left to its default, must be 0 ≤ first ≤ `limits.maxPageSize`.
 * Fields under `@skip`/`@include` are checked too: a request that names a page size it may not
 * have is refused whatever its directives say.
 */
export function checkPageSizes(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, coercedVariables: Record<string, unknown>, limits: QueryLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  walkFields(schema, operation, fragments, ({ node, definition, parentType, path }) => {
    if (!definition.args.some((arg) => arg.name === 'first')) return;
    let first: unknown;
    try {
      first = getArgumentValues(definition, node, coercedVariables).first;
    } catch (error) {
      // e.g. a null variable for `first: Int!`: the same refusal execution would give, given now.
      if (error instanceof GraphQLError) errors.push(badUserInput(error));
      else throw error;
      return;
    }
    if (typeof first === 'number' && (first < 0 || first > limits.maxPageSize)) errors.push(pageSizeOutOfRange(path, `${parentType.name}.${definition.name}`, first, limits));
  });
  return errors;
}
