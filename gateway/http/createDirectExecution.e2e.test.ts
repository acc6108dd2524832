// The direct path must answer exactly as Apollo does, also when a plugin throws in
// willSendResponse, where it can no longer hand the request to Apollo (listeners have run).
// The contract suite's byte comparison (contractSqlPlanning.e2e) covers the gateway's own plugins;
// none of them throws there, so this drives the direct path on a small schema of its own.
import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectExecution } from './createDirectExecution.js';
import { createDirectExecution } from './createDirectExecution.js';

const schema = makeExecutableSchema({ typeDefs: 'type Query { greeting: String! }', resolvers: { Query: { greeting: () => 'hello' } } });
const query = '{ greeting }';

function request(accept?: string): HTTPGraphQLRequest {
  const headers = new HeaderMap([['content-type', 'application/json']]);
  if (accept) headers.set('accept', accept);
  return { method: 'POST', headers, search: '', body: { query } };
}

async function bodyOf(response: HTTPGraphQLResponse): Promise<string> {
  if (response.body.kind === 'complete') return response.body.string;
  let text = '';
  for await (const chunk of response.body.asyncIterator) text += chunk;
  return text;
}

describe('the direct path when a plugin throws in willSendResponse', () => {
  let server: ApolloServer<BaseContext>;
  let direct: DirectExecution<BaseContext>;
  let throwing = false;
  const unexpected: string[] = [];
  beforeAll(async () => {
    // As the gateway's: the cache-control plugin Apollo would install has execution hooks the direct path does not run.
    const plugins: Array<ApolloServerPlugin<BaseContext>> = [
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse() {
              if (throwing) throw new Error('the audit sink is gone');
            },
          };
        },
        async unexpectedErrorProcessingRequest({ error }) {
          unexpected.push(error.message);
        },
      },
    ];
    direct = createDirectExecution<BaseContext>({ schema, plugins, answer: async () => ({ data: { greeting: 'hello' } }), answers: () => true, stringifyResult: (value) => JSON.stringify(value) });
    plugins.push(direct.plugin);
    server = new ApolloServer<BaseContext>({ schema, plugins, stringifyResult: (value) => JSON.stringify(value), logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
    await server.start();
    // Apollo parses and validates the document once; from then on the direct path knows it.
    await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request(), context: async () => ({}) });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers it as Apollo does: the same status, headers and body, and the plugins are told', async () => {
    for (const accept of [undefined, 'application/graphql-response+json']) {
      throwing = false;
      const fine = await direct.execute(server, request(accept), async () => ({}));
      expect(fine, 'served below Apollo').not.toBeNull();
      expect(await bodyOf(fine!)).toBe('{"data":{"greeting":"hello"}}');

      throwing = true;
      unexpected.length = 0;
      const viaApollo = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request(accept), context: async () => ({}) });
      expect(unexpected).toEqual(['the audit sink is gone']);
      unexpected.length = 0;
      const viaDirect = await direct.execute(server, request(accept), async () => ({}));
      expect(unexpected).toEqual(['the audit sink is gone']);
      expect(viaDirect).not.toBeNull();
      expect(viaDirect!.status).toBe(viaApollo.status);
      expect(viaDirect!.status).toBe(500);
      expect([...viaDirect!.headers]).toEqual([...viaApollo.headers]);
      expect(await bodyOf(viaDirect!)).toBe(await bodyOf(viaApollo));
      expect(await bodyOf(viaDirect!)).toContain('INTERNAL_SERVER_ERROR');
    }
  });
});
