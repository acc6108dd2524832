import { fileURLToPath } from 'node:url';
import type { BaseContext } from '@apollo/server';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { PrincipalAudience } from '../access/index.js';
import { loadContracts } from '../contracts/index.js';
import { DEFAULT_QUERY_LIMITS, MAX_DOCUMENT_TOKENS } from './QueryLimits.js';
import { useQueryLimits } from './useQueryLimits.js';

type Context = BaseContext & { audience: PrincipalAudience };
let server: ApolloServer<Context>;
let executions = 0;

beforeAll(async () => {
  const contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
  const { schema } = contracts.find((contract) => contract.meta.name === 'customer_order_timeline' && contract.meta.version === 2)!;
  server = new ApolloServer<Context>({
    schema,
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    plugins: [
      useQueryLimits<Context>((context) => DEFAULT_QUERY_LIMITS[context.audience]),
      // Observes whether execution started at all.
      { requestDidStart: async () => ({ executionDidStart: async () => void (executions += 1) }) },
    ],
  });
  await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  executions = 0;
});

async function run(query: string, audience: PrincipalAudience, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, variables }, { contextValue: { audience } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status ?? 200, result: response.body.singleResult };
}

describe('useQueryLimits', () => {
  it('lets a query within the limits execute', async () => {
    const { status, result } = await run('{ __typename }', 'PARTNER');
    expect(status).toBe(200);
    expect(result.data).toEqual({ __typename: 'Query' });
    expect(executions).toBe(1);
  });

  it("refuses a query over the caller's limit with 400 and QUERY_LIMIT_EXCEEDED, before execution", async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `o${i}: customerOrderTimeline(orderId: "${i}") { orderId }`).join(' ')} }`;
    const { status, result } = await run(query, 'PARTNER');
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: 'Query has 31 aliases; at most 30 are allowed for PARTNER callers. Fix: ask for fewer aliased fields per request, or split it into several requests.',
        extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', measured: 31, maximum: 30 },
      },
    ]);
    expect(executions).toBe(0);
  });

  it('refuses a page size from a variable with 400 and BAD_USER_INPUT, before execution', async () => {
    const { status, result } = await run('query($n: Int!) { recentCustomerOrders(first: $n) { orderId } }', 'INTERNAL', { n: -5 });
    expect(status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', received: -5, maximum: 500 });
    expect(executions).toBe(0);
  });

  it('remembers a pass by the variables that can change it, never a refusal, per caller limits', async () => {
    const query = 'query($n: Int!, $after: ID) { recentCustomerOrders(first: $n, after: $after) { orderId } }';
    const codeOf = (r: Awaited<ReturnType<typeof run>>) => r.result.errors?.[0]?.extensions?.code;
    await run(query, 'INTERNAL', { n: 200, after: 'o-1' });
    expect(executions).toBe(1);
    // The same shape with another cursor passes without a walk; another page size is measured.
    await run(query, 'INTERNAL', { n: 200, after: 'o-2' });
    expect(executions).toBe(2);
    const negative = await run(query, 'INTERNAL', { n: -5, after: 'o-1' });
    expect([negative.status, codeOf(negative)]).toEqual([400, 'BAD_USER_INPUT']);
    const tooLarge = await run(query, 'INTERNAL', { n: 501, after: 'o-2' });
    expect([tooLarge.status, codeOf(tooLarge)]).toEqual([400, 'BAD_USER_INPUT']);
    // What passed for INTERNAL is over PARTNER's page size: the verdict is per caller's limits.
    const partner = await run(query, 'PARTNER', { n: 200, after: 'o-1' });
    expect([partner.status, codeOf(partner)]).toEqual([400, 'BAD_USER_INPUT']);
    // A refusal is not remembered as anything: the same request is refused again.
    const again = await run(query, 'INTERNAL', { n: -5, after: 'o-3' });
    expect([again.status, codeOf(again)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(executions).toBe(2);
  });

  it('with parseOptions.maxTokens, refuses the 10,000-alias document as a parse failure', async () => {
    const query = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: recentCustomerOrders(first: 1) { orderId }`).join(' ')} }`;
    const { status, result } = await run(query, 'INTERNAL');
    expect(status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(executions).toBe(0);
  });
});
