import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { noteDocument } from '../errors/index.js';

/** Hex digits of the document's SHA-256 kept in the log: enough to tell documents apart, short to read. */
const HASH_DIGITS = 16;

/**
 * Notes the operation's name and a hash of its document in the request scope, for the request's
 * log line: which query ran, comparable across requests, without its text (literals in it may be
 * personal data) or its variables. Apollo has hashed the document already (`queryHash`, SHA-256).
 */
export function useDocumentIdentity<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveSource({ queryHash }) {
          noteDocument({ documentHash: queryHash.slice(0, HASH_DIGITS) });
        },
        async didResolveOperation({ request, operationName }) {
          noteDocument({ operationName: operationName ?? request.operationName ?? null });
        },
      };
    },
  };
}
