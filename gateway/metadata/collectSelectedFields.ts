import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { collectSelection } from './collectSelection.js';

/**
 * The schema coordinates (`Type.field`) an operation selects as executed with `variables`
 * (`@skip`/`@include` applied): collectSelection's coordinates, for callers that need no paths.
 */
export function collectSelectedFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Readonly<Record<string, unknown>>): string[] {
  return [...collectSelection(schema, document, operation, variables).coordinates];
}
