import type { GraphQLSchema } from 'graphql';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { checkQueryLimits } from '../../gateway/limits/checkQueryLimits.js';
import type { QueryLimits } from '../../gateway/limits/QueryLimits.js';
import { MAX_DOCUMENT_TOKENS } from '../../gateway/limits/QueryLimits.js';

/**
 * What the gateway does to a document before execution, outside Apollo: parse with the token
 * cap (Apollo's parseOptions), validate, check the query limits. Returns the errors that would
 * refuse the request (none: it would execute). For the limits tests and bench:refusal.
 */
export function preExecutionErrors(schema: GraphQLSchema, source: string, limits: QueryLimits): readonly GraphQLError[] {
  let document;
  try {
    document = parse(source, { maxTokens: MAX_DOCUMENT_TOKENS });
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const invalid = validate(schema, document, specifiedRules);
  if (invalid.length > 0) return invalid;
  return checkQueryLimits({ schema, document, operation: getOperationAST(document)!, variables: {}, limits });
}
