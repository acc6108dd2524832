import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode, HTTP_STATUS_OF } from '../errors/index.js';
import type { QueryLimits } from './QueryLimits.js';

/** Which limit a `QUERY_LIMIT_EXCEEDED` error is about, in `extensions.limit`. */
export type QueryLimitKind = 'tokens' | 'aliases' | 'depth' | 'cost' | 'selections';

/** Items a list field is assumed to hold when nothing in the query says how many (see `measureCost`). */
export const ASSUMED_LIST_SIZE = 10;

/**
 * Fields a query may expand to once its fragments are inlined at every spread, the bound on the
 * cost walk (graphql-query-complexity's `maxQueryNodes`, whose default this is). Only documents
 * that spread fragments inside fragments reach it: without reuse, 5,000 tokens hold fewer fields.
 */
export const MAX_EXPANDED_SELECTIONS = 10_000;

const forCallers = (limits: QueryLimits) => (limits.appliesTo ? ` for ${limits.appliesTo} callers` : '');

const describe: Record<QueryLimitKind, (measured: number, maximum: number) => string> = {
  tokens: (measured, maximum) => `Query has ${measured} tokens; at most ${maximum} are allowed`,
  aliases: (measured, maximum) => `Query has ${measured} aliases; at most ${maximum} are allowed`,
  depth: (measured, maximum) => `Query nests fields ${measured} levels deep; at most ${maximum} are allowed`,
  cost: (measured, maximum) =>
    `Query costs ${measured} (each field 1, a list field its page size \`first\`, or ${ASSUMED_LIST_SIZE} items, times its subtree); at most ${maximum} is allowed`,
  selections: (_measured, maximum) => `Query selects more than ${maximum} fields once its fragments are expanded at every spread; at most ${maximum} are allowed`,
};

const fixes: Record<QueryLimitKind, string> = {
  tokens: 'Fix: send a shorter document; a fragment can replace repeated selections.',
  aliases: 'Fix: ask for fewer aliased fields per request, or split it into several requests.',
  depth: 'Fix: select fewer nested levels.',
  cost: 'Fix: ask for smaller pages (`first`) or fewer fields, above all inside lists, and fetch the next page when you need it.',
  selections: 'Fix: spread fewer fragments inside each other.',
};

/** 400 `QUERY_LIMIT_EXCEEDED`: the limit, the value measured and the maximum, in the message and in `extensions`. */
export function queryLimitExceeded(limit: QueryLimitKind, measured: number, maximum: number, limits: QueryLimits): GraphQLError {
  const code = GatewayErrorCode.QueryLimitExceeded;
  return new GraphQLError(`${describe[limit](measured, maximum)}${forCallers(limits)}. ${fixes[limit]}`, {
    extensions: { code, limit, measured, maximum, http: { status: HTTP_STATUS_OF[code] } },
  });
}

/** 400 `BAD_USER_INPUT` for a `first` outside 0…maxPageSize, naming where, what was received and the range. */
export function pageSizeOutOfRange(path: string, coordinate: string, received: number, limits: QueryLimits): GraphQLError {
  const maximum = limits.maxPageSize;
  const fix = received < 0 ? 'Fix: pass a page size of 0 or more.' : `Fix: ask for at most ${maximum} per page and fetch the next page.`;
  return new GraphQLError(`Argument "first" of ${coordinate} at "${path}" is ${received}; allowed: 0 to ${maximum}${forCallers(limits)}. ${fix}`, {
    extensions: { code: ApolloServerErrorCode.BAD_USER_INPUT, argument: 'first', path, received, minimum: 0, maximum, http: { status: 400 } },
  });
}

/** 400 `BAD_USER_INPUT` for variables or arguments graphql-js could not coerce, keeping its message and location. */
export function badUserInput(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: ApolloServerErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}
