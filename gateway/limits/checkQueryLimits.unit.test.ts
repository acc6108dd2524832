import { fileURLToPath } from 'node:url';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { buildSchema, getIntrospectionQuery, getOperationAST, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import { loadContracts } from '../contracts/index.js';
import { checkQueryLimits } from './checkQueryLimits.js';
import type { QueryLimitKind } from './queryLimitErrors.js';
import type { QueryLimits } from './QueryLimits.js';
import { DEFAULT_QUERY_LIMITS, MAX_DOCUMENT_TOKENS } from './QueryLimits.js';

const { INTERNAL, PARTNER } = DEFAULT_QUERY_LIMITS;
let schema: GraphQLSchema;
beforeAll(async () => {
  const contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
  schema = contracts.find((contract) => contract.meta.name === 'customer_order_timeline' && contract.meta.version === 2)!.schema;
});

/** Parses as Apollo will (with the token cap), proves the document valid, then checks the limits. */
function check(query: string, options: { limits?: QueryLimits; variables?: Record<string, unknown>; against?: GraphQLSchema } = {}): GraphQLError[] {
  const against = options.against ?? schema;
  const document = parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
  expect(validate(against, document).map((error) => error.message)).toEqual([]);
  return checkQueryLimits({ schema: against, document, operation: getOperationAST(document)!, variables: options.variables, limits: options.limits ?? INTERNAL });
}

const maxOf: Record<Exclude<QueryLimitKind, 'selections'>, keyof QueryLimits> = { tokens: 'maxTokens', aliases: 'maxAliases', depth: 'maxDepth', cost: 'maxCost' };
/** The value a limit measures: its maximum set below anything, so the error reports it. */
function measure(kind: Exclude<QueryLimitKind, 'selections'>, query: string, variables?: Record<string, unknown>, against?: GraphQLSchema): unknown {
  const errors = check(query, { limits: { ...INTERNAL, [maxOf[kind]]: -1 }, variables, against });
  const error = errors.find((e) => e.extensions.limit === kind);
  expect(error, `no ${kind} error in ${JSON.stringify(errors.map((e) => e.message))}`).toBeDefined();
  return error!.extensions.measured;
}

const FULL_ORDER = /* GraphQL */ `
  orderId customerId customerEmail orderLifecycleState orderPlacedAt commercialCommitmentAt
  orderTotal { amount currency } cancelledAt cancellationReason salesChannel
  orderLines { lineId sku quantity unitPrice { amount currency } lineAmount { amount currency } }
  lifecycleHistory { sequence orderLifecycleState occurredAt }
`;
const aliased = (count: number, selection: (i: number) => string) => `{ ${Array.from({ length: count }, (_, i) => selection(i)).join(' ')} }`;

describe('a normal page', () => {
  const page = /* GraphQL */ `query Page($first: Int!) { recentCustomerOrders(first: $first) { ${FULL_ORDER} } }`;

  it('of 100 orders with lines and history passes for INTERNAL (and PARTNER): cost 13,401, depth 4', () => {
    expect(check(page, { variables: { first: 100 } })).toEqual([]);
    expect(check(page, { variables: { first: 100 }, limits: PARTNER })).toEqual([]);
    expect(measure('cost', page, { first: 100 })).toBe(13_401);
    expect(measure('depth', page, { first: 100 })).toBe(4);
  });

  it('of 500 full orders is over the INTERNAL cost limit, and the error says so', () => {
    const [error, ...rest] = check(page, { variables: { first: 500 } });
    expect(rest).toEqual([]);
    expect(error!.message).toBe(
      'Query costs 67001 (each field 1, a list field its page size `first`, or 10 items, times its subtree); at most 50000 is allowed for INTERNAL callers. ' +
        'Fix: ask for smaller pages (`first`) or fewer fields, above all inside lists, and fetch the next page when you need it.',
    );
    expect(error!.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', measured: 67_001, maximum: 50_000, http: { status: 400 } });
  });

  it('the full introspection query passes for PARTNER: introspection is cheap but not free', () => {
    expect(check(getIntrospectionQuery(), { limits: PARTNER })).toEqual([]);
    const cost = measure('cost', getIntrospectionQuery()) as number;
    expect(cost).toBeGreaterThan(50);
    expect(cost).toBeLessThan(1_000);
  });
});

describe('aliases', () => {
  const lookup = (i: number) => `o${i}: customerOrderTimeline(orderId: "${i}") { orderId }`;

  it('are counted; over the limit the error names the limit, the count and the maximum', () => {
    expect(check(aliased(30, lookup), { limits: PARTNER })).toEqual([]);
    const [error, ...rest] = check(aliased(31, lookup), { limits: PARTNER });
    expect(rest).toEqual([]);
    expect(error!.message).toBe('Query has 31 aliases; at most 30 are allowed for PARTNER callers. Fix: ask for fewer aliased fields per request, or split it into several requests.');
    expect(error!.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', measured: 31, maximum: 30, http: { status: 400 } });
  });

  it('of __typename are free', () => {
    expect(measure('aliases', aliased(40, (i) => `t${i}: __typename`))).toBe(0);
  });

  it('cannot hide in fragments (counted at every spread) or behind @skip', () => {
    const query = /* GraphQL */ `
      query($no: Boolean! = true) {
        a: customerOrderTimeline(orderId: "1") { ...Ids }
        b: customerOrderTimeline(orderId: "2") { ...Ids ... on CustomerOrderTimeline { e: orderId } }
        c: customerOrderTimeline(orderId: "3") @skip(if: $no) { orderId }
      }
      fragment Ids on CustomerOrderTimeline { x: orderId y: customerId }
    `;
    // a, b, c, e, and x + y at each of the two spreads.
    expect(measure('aliases', query)).toBe(8);
  });
});

describe('depth', () => {
  it('is 4 for the deepest path of the contract, and over the limit the error says so', () => {
    const query = '{ recentCustomerOrders(first: 1) { orderLines { unitPrice { amount } } } }';
    expect(measure('depth', query)).toBe(4);
    const [error] = check(query, { limits: { ...PARTNER, maxDepth: 3 } });
    expect(error!.message).toBe('Query nests fields 4 levels deep; at most 3 are allowed for PARTNER callers. Fix: select fewer nested levels.');
    expect(error!.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', measured: 4, maximum: 3, http: { status: 400 } });
  });

  it('is not shortened by fragments, nor lengthened by them', () => {
    const query = /* GraphQL */ `
      { recentCustomerOrders(first: 1) { ... on CustomerOrderTimeline { ...Lines } } }
      fragment Lines on CustomerOrderTimeline { orderLines { ...Price } }
      fragment Price on CustomerOrderLine { ... { unitPrice { amount } } }
    `;
    expect(measure('depth', query)).toBe(4);
    expect(check(query, { limits: { ...INTERNAL, maxDepth: 3 } })[0]!.extensions.limit).toBe('depth');
  });
});

describe('tokens', () => {
  it('are counted as the parser counts them (comments excluded), and PARTNER may send fewer than the parser allows', () => {
    const query = `# a comment is not a token\n${aliased(25, (i) => `o${i}: customerOrderTimeline(orderId: "${i}") { orderId customerId customerEmail orderPlacedAt salesChannel orderLifecycleState orderTotal { amount currency } }`)}`;
    const tokens = measure('tokens', query) as number;
    expect(() => parse(query, { maxTokens: tokens })).not.toThrow();
    expect(() => parse(query, { maxTokens: tokens - 1 })).toThrow(/Document contains more \w+ \d+ tokens/);

    const big = aliased(50, (i) => `o${i}: recentCustomerOrders(first: 1) { ${FULL_ORDER} }`);
    expect(check(big, { limits: INTERNAL })).toEqual([]);
    const [error] = check(big, { limits: PARTNER });
    expect(error!.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'tokens', maximum: 2_000 });
    expect(error!.message).toMatch(/^Query has \d+ tokens; at most 2000 are allowed for PARTNER callers\./);
  });
});

describe('cost', () => {
  it('multiplies a list by `first` from a literal', () => {
    expect(measure('cost', '{ recentCustomerOrders(first: 7) { orderId } }')).toBe(1 + 7 * 1);
  });

  it('multiplies a list by `first` from a variable, or from the variable default', () => {
    expect(measure('cost', 'query($n: Int!) { recentCustomerOrders(first: $n) { orderId customerId } }', { n: 50 })).toBe(1 + 50 * 2);
    expect(measure('cost', 'query($n: Int! = 3) { recentCustomerOrders(first: $n) { orderId } }')).toBe(1 + 3 * 1);
  });

  it("multiplies a list by the argument's default when `first` is not given", () => {
    expect(measure('cost', '{ recentCustomerOrders { orderId } }')).toBe(1 + 20 * 1);
    expect(measure('cost', 'query($n: Int) { recentCustomerOrders(first: $n) { orderId } }')).toBe(1 + 20 * 1);
  });

  it('multiplies nested lists, a list without `first` by the assumed size of 10', () => {
    expect(measure('cost', '{ recentCustomerOrders(first: 100) { orderLines { sku } } }')).toBe(1 + 100 * (1 + 10 * 1));
    expect(measure('cost', '{ customerOrderTimeline(orderId: "1") { orderTotal { amount } lifecycleHistory { sequence occurredAt } } }')).toBe(1 + 2 + (1 + 10 * 2));
  });

  it('cannot be lowered with fragments, named or inline', () => {
    const query = /* GraphQL */ `
      { recentCustomerOrders(first: 100) { ...Lines } }
      fragment Lines on CustomerOrderTimeline { ... on CustomerOrderTimeline { orderLines { sku } } }
    `;
    expect(measure('cost', query)).toBe(1 + 100 * (1 + 10 * 1));
  });

  it('counts what @include/@skip will run, so a directive cannot hide an expensive field that executes', () => {
    const query = 'query($all: Boolean!) { recentCustomerOrders(first: 100) { orderId orderLines @include(if: $all) { sku } lifecycleHistory @skip(if: $all) { sequence occurredAt } } }';
    expect(measure('cost', query, { all: true })).toBe(1 + 100 * (1 + (1 + 10 * 1)));
    expect(measure('cost', query, { all: false })).toBe(1 + 100 * (1 + (1 + 10 * 2)));
    expect(check(query, { variables: { all: true }, limits: { ...INTERNAL, maxCost: 1_000 } })[0]!.extensions.limit).toBe('cost');
  });

  it('is what stops aliases within their limit from multiplying a page past it', () => {
    const query = aliased(100, (i) => `a${i}: recentCustomerOrders(first: 100) { orderLines { sku } }`);
    const [error] = check(query);
    expect(error!.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', measured: 100 * 1101, maximum: 50_000, http: { status: 400 } });
  });

  it('sizes the list of a connection by its `first`, and a lookup by the number of keys', () => {
    const connections = buildSchema(/* GraphQL */ `
      type Query { changes(since: String, first: Int! = 100): Page! itemsByIds(ids: [ID!]!): [Item]! }
      type Page { nodes: [Item!]! endCursor: String }
      type Item { id: ID! }
    `);
    expect(measure('cost', '{ changes(first: 50) { nodes { id } endCursor } }', undefined, connections)).toBe(1 + (1 + 50 * 1) + 1);
    expect(measure('cost', '{ changes { ...Nodes } } fragment Nodes on Page { nodes { id } }', undefined, connections)).toBe(1 + (1 + 100 * 1));
    expect(measure('cost', '{ itemsByIds(ids: ["a", "b", "c"]) { id } }', undefined, connections)).toBe(1 + 3 * 1);
    const [error] = check('{ changes(first: 1000) { nodes { id } } }', { limits: PARTNER, against: connections });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'changes', received: 1000 });
  });

  it('refuses, without walking them all, fragments that spread each other into 2^30 selections', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on CustomerOrderTimeline { ${i === levels - 1 ? 'orderId' : `...F${i + 1} ...F${i + 1}`} }`);
    const query = `{ customerOrderTimeline(orderId: "1") { ...F0 } } ${fragments.join(' ')}`;
    const started = performance.now();
    const [error] = check(query);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error!.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'selections', measured: 10_001, maximum: 10_000, http: { status: 400 } });
  });
});

describe('page size', () => {
  it('refuses a negative `first` with BAD_USER_INPUT naming the field, the value and the range', () => {
    const [error, ...rest] = check('{ recentCustomerOrders(first: -5) { orderId } }');
    expect(rest).toEqual([]);
    expect(error!.message).toBe('Argument "first" of Query.recentCustomerOrders at "recentCustomerOrders" is -5; allowed: 0 to 500 for INTERNAL callers. Fix: pass a page size of 0 or more.');
    expect(error!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first', path: 'recentCustomerOrders', received: -5, minimum: 0, maximum: 500, http: { status: 400 } });
  });

  it('refuses `first: 100000000` as a page size, before any cost is computed', () => {
    const errors = check('{ recentCustomerOrders(first: 100000000) { orderId } }');
    expect(errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(errors[0]!.message).toBe(
      'Argument "first" of Query.recentCustomerOrders at "recentCustomerOrders" is 100000000; allowed: 0 to 500 for INTERNAL callers. Fix: ask for at most 500 per page and fetch the next page.',
    );
  });

  it('checks `first` given by a variable against the caller, naming the aliased path', () => {
    const query = 'query($n: Int!) { orders: recentCustomerOrders(first: $n) { orderId } }';
    expect(check(query, { variables: { n: 100 }, limits: PARTNER })).toEqual([]);
    expect(check(query, { variables: { n: 0 }, limits: PARTNER })).toEqual([]);
    const [error] = check(query, { variables: { n: 101 }, limits: PARTNER });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'orders', received: 101, maximum: 100 });
    expect(error!.message).toContain('allowed: 0 to 100 for PARTNER callers');
  });

  it('refuses variables that do not coerce, and a null `first`, as BAD_USER_INPUT', () => {
    const [wrongType] = check('query($n: Int!) { recentCustomerOrders(first: $n) { orderId } }', { variables: { n: 'ten' } });
    expect(wrongType!.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    expect(wrongType!.message).toMatch(/Variable "\$n" got invalid value "ten"/);
    const [nullFirst] = check('query($n: Int) { recentCustomerOrders(first: $n) { orderId } }', { variables: { n: null } });
    expect(nullFirst!.extensions.code).toBe('BAD_USER_INPUT');
    expect(nullFirst!.message).toMatch(/"first" of non-null type "Int!" must not be null/);
  });

  it('finds `first` in named and inline fragments, and under @skip', () => {
    const inFragments = /* GraphQL */ `
      { ...Pages }
      fragment Pages on Query { ... on Query { latest: recentCustomerOrders(first: 501) { orderId } } }
    `;
    expect(check(inFragments)[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'latest', received: 501 });
    const skipped = '{ recentCustomerOrders(first: -1) @skip(if: true) { orderId } }';
    expect(check(skipped)[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', received: -1 });
  });
});
