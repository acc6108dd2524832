import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { GraphQLError, Kind, visit } from 'graphql';

const requestError = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Refuses, before execution and with a 400, requests that would otherwise fail deep inside it
 * as an internal error:
 * - an operation name the document does not define (or several operations and no name);
 * - a mutation or subscription on an endpoint that serves queries only;
 * - a string argument or variable holding a NUL character: no stored text can contain one
 *   (PostgreSQL refuses it in `text`), so it can only be a probe, and would surface as a
 *   database error.
 */
export function useOperationGuards<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) {
            throw requestError(request.operationName ? `Unknown operation named "${request.operationName}": the document defines ${operationNames(document)}.` : 'The document defines several operations: send operationName to choose one.', 'OPERATION_RESOLUTION_FAILURE');
          }
          if (operation.operation !== 'query' && !schema.getRootType(operation.operation)) {
            throw requestError(`This endpoint serves queries only; a ${operation.operation} cannot run here.`, 'GRAPHQL_VALIDATION_FAILED');
          }
          const where = nulIn(document, request.variables ?? {});
          if (where) throw requestError(`${where} contains a NUL character (\\u0000), which no stored value can contain.`, 'BAD_USER_INPUT');
        },
      };
    },
  };
}

function operationNames(document: DocumentNode): string {
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name ? `"${d.name.value}"` : 'an anonymous operation'] : []));
  return names.join(', ') || 'no operation';
}

function nulIn(document: DocumentNode, variables: Readonly<Record<string, unknown>>): string | null {
  for (const [name, value] of Object.entries(variables)) {
    if (containsNul(value)) return `Variable "$${name}"`;
  }
  return nulInDocument(document);
}

/** Apollo hands one DocumentNode to every request with the same text: its string arguments are looked at once. */
const documentsSeen = new WeakMap<DocumentNode, string | null>();

function nulInDocument(document: DocumentNode): string | null {
  const known = documentsSeen.get(document);
  if (known !== undefined) return known;
  let found: string | null = null;
  visit(document, {
    StringValue(string) {
      if (!found && string.value.includes('\u0000')) found = 'A string argument';
    },
  });
  documentsSeen.set(document, found);
  return found;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}
