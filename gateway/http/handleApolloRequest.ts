import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext, HTTPGraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { sendGatewayError } from '../errors/index.js';
import type { DirectExecution } from './createDirectExecution.js';
import { readRequestBody } from './readRequestBody.js';
import { requestTarget } from './requestTarget.js';

export interface ApolloRequestOptions<T extends BaseContext = BaseContext> {
  /** Extra response headers (rate limits, deprecation of a subgraph version). */
  headers?: Record<string, string>;
  /** Wraps execution, e.g. in a deadline. Default: none. */
  around?: (work: Promise<HTTPGraphQLResponse>) => Promise<HTTPGraphQLResponse>;
  /** Answers the requests it can below Apollo, with Apollo's response (see createDirectExecution); Apollo answers the rest. Default: none. */
  direct?: DirectExecution<T> | null;
}

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * A small Node `http` integration for Apollo Server (its documented contract:
 * `executeHTTPGraphQLRequest`), so one process serves many schemas on their own paths.
 *
 * Status codes follow the GraphQL-over-HTTP spec: a client that accepts
 * `application/graphql-response+json`, any type or nothing in particular gets 4xx for a request
 * error (parse, validation, variables); a legacy client that asks only for `application/json`
 * gets 200 with the errors in the body, as the spec says it should.
 */
export async function handleApolloRequest<T extends BaseContext>(server: ApolloServer<T>, req: IncomingMessage, res: ServerResponse, context: () => Promise<T>, options: ApolloRequestOptions<T> = {}): Promise<void> {
  const read = await readRequestBody(req);
  if (read.kind === 'error') {
    sendGatewayError(res, read.code, read.message, { headers: options.headers });
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const httpGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: requestTarget(req.url).search, body: read.kind === 'body' ? read.body : undefined };
  const { direct } = options;
  const execution = direct
    ? direct.execute(server, httpGraphQLRequest, context).then((answered) => answered ?? server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context }))
    : server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
  const response = await (options.around ? options.around(execution) : execution);
  for (const [name, value] of response.headers) res.setHeader(name, value);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.statusCode = legacyJsonStatus(req, response) ?? response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** 200 instead of 400 for a GraphQL request error when the client asked only for application/json. */
function legacyJsonStatus(req: IncomingMessage, response: HTTPGraphQLResponse): number | null {
  if (response.status !== 400 || response.body.kind !== 'complete') return null;
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (!accept.includes('application/json') || accept.includes(GRAPHQL_RESPONSE_JSON) || accept.includes('*/*')) return null;
  // Only well-formed GraphQL responses (an `errors` list from parsing, validation or variables).
  try {
    const body = JSON.parse(response.body.string) as { errors?: unknown[] };
    return Array.isArray(body.errors) ? 200 : null;
  } catch {
    return null;
  }
}
