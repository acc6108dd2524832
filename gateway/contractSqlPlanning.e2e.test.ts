import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { OperationDefinitionNode } from 'graphql';
import { Kind, parse } from 'graphql';
import ts from 'typescript';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import { countingDatabase } from '../test/support/countingDatabase.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';
import type { Gateway } from './createGateway.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';

/** Which contract path serves a root field, and who asks there. */
const ROOTS: Record<string, Array<{ path: string; who: 'internal' | 'partner' }>> = {
  recentCustomerOrders: [
    { path: '/contracts/customer_order_timeline/v1', who: 'internal' },
    { path: '/contracts/customer_order_timeline/v2', who: 'internal' },
  ],
  customerOrderTimeline: [
    { path: '/contracts/customer_order_timeline/v1', who: 'internal' },
    { path: '/contracts/customer_order_timeline/v2', who: 'internal' },
  ],
  partnerOrders: [
    { path: '/contracts/partner_order_status/v1', who: 'partner' },
    { path: '/contracts/partner_order_status/v1', who: 'internal' },
  ],
  partnerOrder: [
    { path: '/contracts/partner_order_status/v1', who: 'partner' },
    { path: '/contracts/partner_order_status/v1', who: 'internal' },
  ],
  orderJourneys: [{ path: '/contracts/order_journey/v1', who: 'internal' }],
  orderJourney: [{ path: '/contracts/order_journey/v1', who: 'internal' }],
};

/**
 * Every literal GraphQL document of the gateway's e2e tests that reads one of `ROOTS`: string
 * literals and templates without substitutions (found by the TypeScript parser) that parse as a query. Read from the files, so a query added
 * to those suites is compared here too.
 */
function suiteQueries(): string[] {
  const dir = new URL('./', import.meta.url);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.e2e.test.ts') && f !== 'contractSqlPlanning.e2e.test.ts')) {
    const source = ts.createSourceFile(file, readFileSync(new URL(file, dir), 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const literal = node.text;
        if (Object.keys(ROOTS).some((r) => literal.includes(r))) {
          try {
            const document = parse(literal);
            if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query')) found.add(literal);
          } catch {
            // Not a document (a message, or a broken query a test sends on purpose: compared below only when it parses).
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...found];
}

/** Variable sets for an operation: both values of each Boolean, an existing order id for IDs, 2 for Ints; null when a variable cannot be supplied. */
function variableSets(query: string, orderId: string): Array<Record<string, unknown>> | null {
  const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  let sets: Array<Record<string, unknown>> = [{}];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = (definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type) as { kind: string; name?: { value: string } };
    const named = type.kind === Kind.NAMED_TYPE ? type.name!.value : null;
    if (named === 'Boolean') sets = sets.flatMap((s) => [{ ...s, [name]: true }, { ...s, [name]: false }]);
    else if (named === 'ID') sets = sets.map((s) => ({ ...s, [name]: orderId }));
    else if (named === 'Int') sets = sets.map((s) => ({ ...s, [name]: 2 }));
    else if (definition.type.kind !== Kind.NON_NULL_TYPE || definition.defaultValue) continue;
    else return null;
  }
  return sets;
}

/**
 * What differs between two requests whatever the path: each request's correlation id, and the
 * durations measured against the clock when each response is made (data age, lag, silence).
 */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (key, v: unknown) => {
    if (key === 'correlationId') return typeof v;
    if (key.endsWith('Ms') && typeof v === 'number') return typeof v;
    return v;
  });
}

/** Queries written for the planner: aliases, fragments, directives, merged fields, fallbacks. */
const PLANNER_QUERIES = [
  '{ recentCustomerOrders(first: 5) { orderId orderTotal { amount currency } orderLines { lineId sku quantity unitPrice { amount currency } lineAmount { amount } } lifecycleHistory { sequence orderLifecycleState occurredAt } } }',
  '{ a: recentCustomerOrders(first: 3) { id: orderId total: orderTotal { a: amount c: currency } } b: recentCustomerOrders(first: 2) { orderId lines: orderLines { sku } } }',
  'query Q { recentCustomerOrders(first: 4) { ...Head ... on CustomerOrderTimeline { orderLines { ...Line } } orderTotal { amount } orderTotal { currency } } } fragment Head on CustomerOrderTimeline { orderId orderPlacedAt commercialCommitmentAt customerId customerEmail orderLifecycleState } fragment Line on CustomerOrderLine { sku quantity }',
  'query Q($lines: Boolean!, $history: Boolean!) { recentCustomerOrders(first: 3) { orderId orderLines @include(if: $lines) { sku } lifecycleHistory @skip(if: $history) { orderLifecycleState } } }',
  '{ recentCustomerOrders(first: 3) { orderId __typename } }',
  '{ recentCustomerOrders(first: 0) { orderId } }',
  'query One($id: ID!) { customerOrderTimeline(orderId: $id) { orderId orderLines { sku } } missing: customerOrderTimeline(orderId: "no-such-order") { orderId } }',
  'query Page($after: ID) { recentCustomerOrders(first: 3, after: $after) { orderId } }',
  '{ recentCustomerOrders(first: 3, after: "no-such-order") { orderId } }',
];
const V2_QUERIES = ['{ recentCustomerOrders(first: 20) { orderId cancelledAt cancellationReason salesChannel x: orderTotal { amount } } }'];
const V1_QUERIES = ['{ recentCustomerOrders(first: 4) { orderId orderStatus orderTotalAsFloat orderLifecycleState } }', '{ recentCustomerOrders(first: 4) { orderId minutesToCommitment } }'];
const PARTNER_QUERIES = [
  '{ partnerOrders(first: 10) { orderId salesChannel customerToken customerEmailMasked shippingPostalCodeMasked shippingCountry orderTotal { amount currency } orderLines { lineId sku quantity } } }',
  'query One($id: ID!) { partnerOrder(orderId: $id) { orderId customerToken email: customerEmailMasked } }',
  '{ partnerOrders(first: 3) { orderId } changes(first: 2) { nodes { orderId } hasMore } }',
];

describe('contract reads compiled to SQL, against the resolvers', () => {
  let t: TestGateway;
  let resolversOnly: Gateway;
  let resolversServer: Server;
  let resolversUrl: string;
  let counted: ReturnType<typeof countingDatabase>;
  let countedGateway: Gateway;
  let countedServer: Server;
  let countedUrl: string;
  let apolloOnly: Gateway;
  let apolloOnlyServer: Server;
  let apolloOnlyUrl: string;
  let orderId: string;
  let marketplaceOrderId: string;

  beforeAll(async () => {
    t = await startTestGateway({ prefix: 'sql_planning', services: 'postgres', journeys: { count: 160, seed: 17 } });
    resolversOnly = await createGateway({ db: t.db, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, contractSqlPlanning: 'off' });
    ({ server: resolversServer, url: resolversUrl } = await listen(resolversOnly.handle, '127.0.0.1', 0));
    counted = countingDatabase(t.db);
    countedGateway = await createGateway({ db: counted, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, freshness: { ttlMs: 60_000 } });
    ({ server: countedServer, url: countedUrl } = await listen(countedGateway.handle, '127.0.0.1', 0));
    // The same configuration as the test gateway's (t), every request through Apollo's pipeline.
    apolloOnly = await createGateway({ db: t.db, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, contractDirectPath: 'off' });
    ({ server: apolloOnlyServer, url: apolloOnlyUrl } = await listen(apolloOnly.handle, '127.0.0.1', 0));
    const { rows } = await t.db.query<{ orderId: string; channel: string }>(`select order_id as "orderId", sales_channel as channel from "${t.schema}".orders order by placed_at desc, order_id desc`);
    orderId = rows[2]!.orderId;
    marketplaceOrderId = rows.find((r) => r.channel === 'marketplace')!.orderId;
  }, 180_000);

  afterAll(async () => {
    resolversServer?.close();
    countedServer?.close();
    apolloOnlyServer?.close();
    await resolversOnly?.stop();
    await countedGateway?.stop();
    await apolloOnly?.stop();
    await t?.stop();
  });

  /** The same request on both paths, at once (freshness ages are read from the same watermarks). */
  const both = async (path: string, who: 'internal' | 'partner', query: string, variables?: Record<string, unknown>) => {
    const [compiled, resolved] = await Promise.all([
      postGraphQL(`${t.url}${path}`, query, { variables, headers: t.bearer(who) }),
      postGraphQL(`${resolversUrl}${path}`, query, { variables, headers: t.bearer(who) }),
    ]);
    return { compiled, resolved };
  };
  const expectSame = (compiled: Awaited<ReturnType<typeof postGraphQL>>, resolved: Awaited<ReturnType<typeof postGraphQL>>, what: string) => {
    expect(compiled.status, what).toBe(resolved.status);
    expect(comparable(compiled.body.errors), what).toEqual(comparable(resolved.body.errors));
    expect(compiled.body.data, what).toEqual(resolved.body.data);
    // In the same order too: a response's keys follow the selection.
    expect(JSON.stringify(compiled.body.data), what).toBe(JSON.stringify(resolved.body.data));
    expect(comparable(compiled.body.extensions), what).toEqual(comparable(resolved.body.extensions));
  };

  it('answers every contract query of the e2e suites with the same data, errors and extensions on both paths', async () => {
    const queries = suiteQueries();
    // The suites hold dozens of contract reads; an empty list would mean the extraction broke.
    expect(queries.length).toBeGreaterThan(20);
    let compared = 0;
    for (const query of queries) {
      const sets = variableSets(query, orderId);
      if (!sets) continue;
      const roots = Object.keys(ROOTS).filter((r) => new RegExp(`\\b${r}\\b`).test(query));
      const targets = [...new Map(roots.flatMap((r) => ROOTS[r]!).map((x) => [`${x.path} ${x.who}`, x])).values()];
      for (const { path, who } of targets) {
        for (const variables of sets) {
          const { compiled, resolved } = await both(path, who, query, variables);
          expectSame(compiled, resolved, `${path} as ${who}: ${query} ${JSON.stringify(variables)}`);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  }, 180_000);

  it('answers the planner cases (aliases, fragments, @skip/@include, merged fields, fallbacks) the same on both paths', async () => {
    for (const query of PLANNER_QUERIES) {
      for (const variables of [
        { lines: true, history: true, id: orderId, after: orderId },
        { lines: false, history: false, id: orderId, after: null },
      ]) {
        for (const path of ['/contracts/customer_order_timeline/v1', '/contracts/customer_order_timeline/v2']) {
          const { compiled, resolved } = await both(path, 'internal', query, variables);
          expectSame(compiled, resolved, `${path}: ${query}`);
          expect(compiled.body.errors, query).toBeUndefined();
        }
      }
    }
    for (const query of V2_QUERIES) {
      const { compiled, resolved } = await both('/contracts/customer_order_timeline/v2', 'internal', query);
      expectSame(compiled, resolved, query);
    }
    for (const query of V1_QUERIES) {
      const { compiled, resolved } = await both('/contracts/customer_order_timeline/v1', 'internal', query);
      expectSame(compiled, resolved, query);
    }
    for (const query of PARTNER_QUERIES) {
      for (const who of ['partner', 'internal'] as const) {
        const { compiled, resolved } = await both('/contracts/partner_order_status/v1', who, query, { id: marketplaceOrderId });
        expectSame(compiled, resolved, `${who}: ${query}`);
      }
    }
  }, 120_000);

  /** A response as sent: status, headers (but the two that differ per request) and the body text, clock durations and correlation ids masked. */
  const sendRaw = async (url: string, body: Record<string, unknown>, headers: Record<string, string>) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await response.text();
    const kept = [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-correlation-id');
    return { status: response.status, headers: kept, text: text.replace(/("\w+Ms":)\d+/g, '$1#').replace(/("correlationId":)"[^"]*"/g, '$1"#"'), correlationId: response.headers.get('x-correlation-id') };
  };

  it('answers on the direct path below Apollo exactly as Apollo does: status, headers and bytes, refusals included', async () => {
    const apolloRuns = vi.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    type Case = { path: string; who: 'internal' | 'partner'; body: Record<string, unknown>; headers?: Record<string, string> };
    const cases: Case[] = [];
    for (const query of suiteQueries()) {
      const sets = variableSets(query, orderId);
      if (!sets) continue;
      const roots = Object.keys(ROOTS).filter((r) => new RegExp(`\\b${r}\\b`).test(query));
      for (const { path, who } of new Map(roots.flatMap((r) => ROOTS[r]!).map((x) => [`${x.path} ${x.who}`, x])).values()) {
        for (const variables of sets) cases.push({ path, who, body: { query, variables } });
      }
    }
    for (const query of [...PLANNER_QUERIES, ...V2_QUERIES]) {
      for (const variables of [{ lines: true, history: false, id: orderId, after: orderId }, { lines: false, history: true, id: orderId, after: null }]) cases.push({ path: '/contracts/customer_order_timeline/v2', who: 'internal', body: { query, variables } });
    }
    for (const query of V1_QUERIES) cases.push({ path: '/contracts/customer_order_timeline/v1', who: 'internal', body: { query } });
    for (const query of PARTNER_QUERIES) for (const who of ['partner', 'internal'] as const) cases.push({ path: '/contracts/partner_order_status/v1', who, body: { query, variables: { id: marketplaceOrderId } } });
    // A document known to the direct path, then requests of it that a check refuses: page sizes, variables, NUL, unknown operation.
    const paged = 'query P($n: Int!, $after: ID) { recentCustomerOrders(first: $n, after: $after) { orderId orderTotal { amount } } }';
    for (const variables of [{ n: 3 }, { n: -5 }, { n: 501 }, { n: 'ten' }, { n: 2, after: 'a\u0000b' }, { n: 2, after: orderId }]) cases.push({ path: '/contracts/customer_order_timeline/v2', who: 'internal', body: { query: paged, variables } });
    cases.push({ path: '/contracts/customer_order_timeline/v2', who: 'internal', body: { query: paged, variables: { n: 2 }, operationName: 'Other' } });
    cases.push({ path: '/contracts/partner_order_status/v1', who: 'partner', body: { query: '{ partnerOrders(first: 101) { orderId } }' } });
    // Content negotiation, and a client naming itself (usage is counted per client).
    for (const accept of ['application/graphql-response+json', 'application/json', 'text/html', 'application/json;q=0.5, application/graphql-response+json']) {
      cases.push({ path: '/contracts/customer_order_timeline/v2', who: 'internal', body: { query: paged, variables: { n: 2 } }, headers: { accept, 'apollographql-client-name': 'order-status-emails' } });
    }

    let direct = 0;
    for (const c of cases) {
      const headers = { ...t.bearer(c.who), ...c.headers };
      await sendRaw(`${t.url}${c.path}`, c.body, headers); // Apollo validates the document once; the direct path knows it after
      const before = apolloRuns.mock.calls.length;
      const [viaDirect, viaApollo] = await Promise.all([sendRaw(`${t.url}${c.path}`, c.body, headers), sendRaw(`${apolloOnlyUrl}${c.path}`, c.body, headers)]);
      if (apolloRuns.mock.calls.length - before === 1) direct++;
      const what = `${c.path} as ${c.who}: ${JSON.stringify(c.body)} ${JSON.stringify(c.headers ?? {})}`;
      expect(viaDirect.status, what).toBe(viaApollo.status);
      expect(viaDirect.headers, what).toEqual(viaApollo.headers);
      expect(viaDirect.text, what).toBe(viaApollo.text);
    }
    apolloRuns.mockRestore();
    // Most of them were answered below Apollo (the rest: not planned whole, or refused, or not JSON).
    expect(direct).toBeGreaterThan(40);
    expect(direct).toBeLessThan(cases.length);
  }, 180_000);

  it('answers response cache misses and hits on the direct path exactly as Apollo does', async () => {
    // Each its own store, so each makes its own miss and hit of every request.
    const opened = await Promise.all(
      (['on', 'off'] as const).map(async (contractDirectPath) => {
        const gateway = await createGateway({ db: t.db, log: t.log, cache: createMemoryCache() }, t.access, { projectionSchemas: t.schemas, responseCache: {}, contractDirectPath });
        return { gateway, ...(await listen(gateway.handle, '127.0.0.1', 0)) };
      }),
    );
    const [direct, apollo] = opened as [(typeof opened)[number], (typeof opened)[number]];
    const apolloRuns = vi.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    try {
      const stored = (text: string) => text.replace(/("storedAt":)"[^"]*"/g, '$1"#"');
      let belowApollo = 0;
      for (const [path, who, query] of [
        ['/contracts/customer_order_timeline/v2', 'internal', 'query P($after: ID) { recentCustomerOrders(first: 5, after: $after) { orderId orderTotal { amount currency } orderLines { sku } } }'],
        ['/contracts/partner_order_status/v1', 'partner', 'query P($after: ID) { partnerOrders(first: 5, after: $after) { orderId customerToken customerEmailMasked } }'],
        ['/contracts/order_journey/v1', 'internal', 'query P($after: ID) { orderJourneys(first: 3, after: $after) { orderId journeyStage } }'],
      ] as const) {
        const headers = t.bearer(who);
        await sendRaw(`${direct.url}${path}`, { query }, headers); // Apollo validates the document
        for (const round of ['MISS', 'HIT']) {
          const before = apolloRuns.mock.calls.length;
          const viaDirect = await sendRaw(`${direct.url}${path}`, { query, variables: { after: orderId } }, headers);
          belowApollo += apolloRuns.mock.calls.length === before ? 1 : 0;
          const viaApollo = await sendRaw(`${apollo.url}${path}`, { query, variables: { after: orderId } }, headers);
          expect([viaDirect.status, viaDirect.headers, stored(viaDirect.text)], `${round} ${path}`).toEqual([viaApollo.status, viaApollo.headers, stored(viaApollo.text)]);
        }
      }
      // The two planned reads, miss and hit; the journey with its derived stage bypasses the cache and is not planned whole.
      expect(belowApollo).toBe(4);
    } finally {
      apolloRuns.mockRestore();
      for (const { server, gateway } of opened) {
        server.close();
        await gateway.stop();
      }
    }
  });

  it('audits, counts and refuses on the direct path as on Apollo', async () => {
    const apolloRuns = vi.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    const query = 'query Audited($after: ID) { recentCustomerOrders(first: 4, after: $after) { orderId customerEmail } }';
    const path = `${t.url}/contracts/customer_order_timeline/v2`;
    await sendRaw(path, { query }, t.bearer('internal'));
    const before = apolloRuns.mock.calls.length;
    const answered = await sendRaw(path, { query, variables: { after: orderId } }, t.bearer('internal'));
    expect(apolloRuns.mock.calls.length - before).toBe(0);
    apolloRuns.mockRestore();
    expect(answered.status).toBe(200);
    await t.access.audit.flush();
    const [entry] = await t.access.audit.list({ action: 'contract.query', limit: 1 });
    expect(entry).toMatchObject({ correlationId: answered.correlationId, operationName: 'Audited', rowsReturned: 4, outcome: 'ok', fieldsSelected: ['Query.recentCustomerOrders', 'CustomerOrderTimeline.orderId', 'CustomerOrderTimeline.customerEmail'] });
    // Who may not use the contract, or has no credential, never reaches it.
    expect((await sendRaw(path, { query }, {})).status).toBe(401);
    expect((await sendRaw(path, { query }, t.bearer('partner'))).status).toBe(403);
  });

  it('refuses bad arguments with the same errors on both paths', async () => {
    for (const [query, variables] of [
      ['{ recentCustomerOrders(first: -5) { orderId } }', {}],
      ['query($n: Int!) { recentCustomerOrders(first: $n) { orderId } }', { n: 100_000_000 }],
      ['query($n: Int!) { recentCustomerOrders(first: $n) { orderId } }', { n: 'ten' }],
      ['query($id: ID!) { customerOrderTimeline(orderId: $id) { orderId } }', { id: { not: 'an id' } }],
      ['{ customerOrderTimeline(orderId: 12) { orderId } }', {}],
      ['{ recentCustomerOrders(first: 2, after: "") { orderId } }', {}],
    ] as const) {
      const { compiled, resolved } = await both('/contracts/customer_order_timeline/v2', 'internal', query, variables);
      expectSame(compiled, resolved, `${query} ${JSON.stringify(variables)}`);
    }
  });

  it('shows a partner no raw PII on the compiled path, and only the rows of its scope', async () => {
    const query = '{ partnerOrders(first: 50) { orderId salesChannel customerToken customerEmailMasked shippingPostalCodeMasked } }';
    await postGraphQL(`${countedUrl}/contracts/partner_order_status/v1`, query, { headers: t.bearer('partner') }); // freshness cached
    const before = counted.statements;
    const { body } = await postGraphQL(`${countedUrl}/contracts/partner_order_status/v1`, query, { headers: t.bearer('partner') });
    // One statement: the compiled path answered (the resolvers would read orders, then nothing else here; see the next test for lines).
    expect(counted.statements - before).toBe(1);
    const orders = body.data!.partnerOrders as Array<Record<string, string>>;
    expect(orders.length).toBeGreaterThan(0);
    const { rows } = await t.db.query<{ orderId: string; customerId: string; email: string; postalCode: string; channel: string }>(
      `select order_id as "orderId", customer_id as "customerId", customer_email as email, shipping_postal_code as "postalCode", sales_channel as channel from "${t.schema}".orders where order_id = any($1::text[])`,
      [orders.map((o) => o.orderId)],
    );
    const byId = new Map(rows.map((r) => [r.orderId, r]));
    for (const order of orders) {
      const raw = byId.get(order.orderId!)!;
      expect(raw.channel).toBe('marketplace');
      expect(order.salesChannel).toBe('MARKETPLACE');
      expect(order.customerToken).not.toBe(raw.customerId);
      expect(order.customerEmailMasked).not.toBe(raw.email);
      expect(order.customerEmailMasked).toMatch(/\*\*\*@/);
      expect(order.shippingPostalCodeMasked).not.toBe(raw.postalCode);
      expect(JSON.stringify(order)).not.toContain(raw.customerId);
      expect(JSON.stringify(order)).not.toContain(raw.email);
    }
    const text = JSON.stringify(body);
    for (const raw of rows) expect(text).not.toContain(raw.email);
  });

  it('sends one SQL statement per root field on the compiled path, whatever the page size', async () => {
    const statementsFor = async (url: string, first: number) => {
      const query = `{ recentCustomerOrders(first: ${first}) { orderId orderTotal { amount } orderLines { sku unitPrice { amount } } lifecycleHistory { occurredAt } } }`;
      await postGraphQL(`${url}/contracts/customer_order_timeline/v2`, query, { headers: t.bearer('internal') }); // freshness cached
      const before = counted.statements;
      const { body } = await postGraphQL(`${url}/contracts/customer_order_timeline/v2`, query, { headers: t.bearer('internal') });
      expect((body.data!.recentCustomerOrders as unknown[]).length).toBe(first);
      return counted.statements - before;
    };
    const counts = [await statementsFor(countedUrl, 1), await statementsFor(countedUrl, 10), await statementsFor(countedUrl, 100)];
    expect(counts).toEqual([1, 1, 1]);
  });

  it('computes __typename and a derived field of the own record in the same response, still one statement', async () => {
    const query = '{ recentCustomerOrders(first: 50) { __typename orderId minutesToCommitment orderStatus orderTotalAsFloat orderLines { __typename sku } } }';
    const path = '/contracts/customer_order_timeline/v1';
    await postGraphQL(`${countedUrl}${path}`, query, { headers: t.bearer('internal') }); // freshness cached
    const before = counted.statements;
    const { body } = await postGraphQL(`${countedUrl}${path}`, query, { headers: t.bearer('internal') });
    expect(counted.statements - before).toBe(1);
    const { compiled, resolved } = await both(path, 'internal', query);
    expectSame(compiled, resolved, query);
    const orders = body.data!.recentCustomerOrders as Array<{ __typename: string; minutesToCommitment: number | null }>;
    expect(orders.some((o) => typeof o.minutesToCommitment === 'number')).toBe(true);
    expect(new Set(orders.map((o) => o.__typename))).toEqual(new Set(['CustomerOrderTimeline']));
  });
});

describe('contract reads compiled to SQL on the embedded defaults (PGlite)', () => {
  let t: TestGateway;
  let resolversOnly: Gateway;
  let resolversServer: Server;
  let resolversUrl: string;

  beforeAll(async () => {
    t = await startTestGateway({ prefix: 'sql_planning_lite', services: 'embedded', orders: { count: 60, seed: 5, faults: { legacyShare: 0.2 } } });
    resolversOnly = await createGateway({ db: t.db, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, contractSqlPlanning: 'off' });
    ({ server: resolversServer, url: resolversUrl } = await listen(resolversOnly.handle, '127.0.0.1', 0));
  }, 120_000);

  afterAll(async () => {
    resolversServer?.close();
    await resolversOnly?.stop();
    await t?.stop();
  });

  it('answers the planner cases and the partner view the same on both paths', async () => {
    const cases: Array<[string, 'internal' | 'partner', string]> = [
      ...PLANNER_QUERIES.map((q): [string, 'internal', string] => ['/contracts/customer_order_timeline/v2', 'internal', q]),
      ...V1_QUERIES.map((q): [string, 'internal', string] => ['/contracts/customer_order_timeline/v1', 'internal', q]),
      ...PARTNER_QUERIES.map((q): [string, 'partner', string] => ['/contracts/partner_order_status/v1', 'partner', q]),
    ];
    const { rows } = await t.db.query<{ orderId: string }>(`select order_id as "orderId" from "${t.schema}".orders order by placed_at desc limit 3`);
    const variables = { lines: true, history: false, id: rows[2]!.orderId, after: rows[1]!.orderId };
    for (const [path, who, query] of cases) {
      const [compiled, resolved] = await Promise.all([
        postGraphQL(`${t.url}${path}`, query, { variables, headers: t.bearer(who) }),
        postGraphQL(`${resolversUrl}${path}`, query, { variables, headers: t.bearer(who) }),
      ]);
      expect(compiled.status, query).toBe(resolved.status);
      expect(JSON.stringify(compiled.body.data), query).toBe(JSON.stringify(resolved.body.data));
      expect(comparable(compiled.body.extensions), query).toEqual(comparable(resolved.body.extensions));
    }
  }, 60_000);
});
