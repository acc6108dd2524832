import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPrincipalName } from '../test/support/gatewayAccess.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { postgresUrl, redisUrl, uniqueName } from '../test/support/services.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';

const INTERNAL = '/contracts/customer_order_timeline/v2';
const PARTNER = '/contracts/partner_order_status/v1';
const NORMAL = '{ recentCustomerOrders(first: 100) { orderId orderTotal { amount currency } orderLines { sku quantity unitPrice { amount } } lifecycleHistory { sequence occurredAt } } }';

describe('limits before execution, deadlines, and rate limits across processes', () => {
  let t: TestGateway;
  let keys: Record<TestPrincipalName, string>;
  let url: string;
  let schema: string;
  const as = (who: TestPrincipalName, path: string, query: string, variables?: Record<string, unknown>) => postGraphQL(`${url}${path}`, query, { variables, headers: { authorization: `Bearer ${keys[who]}` } });

  beforeAll(async () => {
    t = await startTestGateway({ prefix: 'orders_limits', services: 'postgres', orders: { count: 400, seed: 3 } });
    ({ keys, url, schema } = t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses 10,000 aliases while parsing, and a normal query sent at the same time is answered in full', async () => {
    // How fast the refusal is belongs to bench:refusal (CPU, same run), not to a timed test.
    const huge = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: recentCustomerOrders(first: 1) { orderId }`).join(' ')} }`;
    // The body is built once: the client's own JSON encoding of 500 KB is not the server's time.
    const hugeBody = JSON.stringify({ query: huge });
    const sendHuge = async () => {
      const response = await fetch(`${url}${INTERNAL}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.internal}` }, body: hugeBody });
      return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
    };
    const alone = await as('internal', INTERNAL, NORMAL);
    expect(alone.status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const [refused, normal] = await Promise.all([sendHuge(), as('internal', INTERNAL, NORMAL)]);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toHaveLength(1);
      expect(refused.body.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' }, message: expect.stringMatching(/Document contains more th\w+ \d+ tokens/) });
      // The normal query beside it gets its whole answer, the same as alone.
      expect(normal.status).toBe(200);
      expect(normal.body.data).toEqual(alone.body.data);
    }
  });

  it('counts aliases, depth and cost per audience, with a message naming the limit', async () => {
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: partnerOrders(first: 1) { orderId }`).join(' ')} }`;
    const partner = await as('partner', PARTNER, aliases);
    expect(partner.status).toBe(400);
    expect(partner.body.errors![0]).toMatchObject({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases' } });
    // The same document is within an internal principal's limits.
    expect((await as('internal', PARTNER, aliases)).status).toBe(200);
    const costly = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: partnerOrders(first: 100) { orderId orderLines { sku quantity } orderTotal { amount currency } }`).join(' ')} }`;
    const cost = await as('partner', PARTNER, costly);
    expect(cost.status).toBe(400);
    expect(cost.body.errors![0]).toMatchObject({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' } });
  });

  it('answers first: -5 and first: 100000000 with BAD_USER_INPUT and 400, literal or variable', async () => {
    for (const first of [-5, 100_000_000]) {
      const literal = await as('partner', PARTNER, `{ partnerOrders(first: ${first}) { orderId customerEmailMasked } }`);
      expect(literal.status).toBe(400);
      expect(literal.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(String(first)) });
      const variable = await as('partner', PARTNER, 'query($n: Int!) { changes(first: $n) { nodes { orderId } } }', { n: first });
      expect(variable.status).toBe(400);
      expect(variable.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    }
  });

  describe('rate limits across two gateway processes sharing one Redis', () => {
    const children: ChildProcess[] = [];
    const startGatewayProcess = (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../test/support/gatewayProcess.ts', import.meta.url))], {
          env: { ...process.env, DATABASE_URL: postgresUrl(), REDIS_URL: redisUrl(), ACCESS_SCHEMA: `${schema}_access`, ORDERS_SCHEMA: schema, RATE_LIMIT_REQUESTS: '10', REDIS_KEY_PREFIX: prefix },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        let out = '';
        let err = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /LISTENING (\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}: ${err}`)));
      });
    afterAll(async () => {
      await Promise.all(children.map((c) => new Promise<void>((done) => (c.exitCode !== null ? done() : (c.once('exit', () => done()), c.kill('SIGTERM'))))));
    });

    it('shares one budget: 10 requests per window in total, the 11th refused by either with 429 and Retry-After', async () => {
      const prefix = `${uniqueName('rl')}:`;
      const [one, two] = await Promise.all([startGatewayProcess(prefix), startGatewayProcess(prefix)]);
      const call = (base: string) => postGraphQL(`${base}${PARTNER}`, '{ __typename }', { headers: { authorization: `Bearer ${keys.partner}` } });
      // Windows are fixed and aligned to the clock (60 s in gatewayProcess): twelve requests that
      // straddled a boundary would see the budget renewed halfway (seen once in CI under load).
      // Start them with at least half a window ahead.
      const windowMs = 60_000;
      const left = windowMs - (Date.now() % windowMs);
      if (left < windowMs / 2) await new Promise((resolve) => setTimeout(resolve, left + 100));
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await call(i % 2 === 0 ? one : two);
        statuses.push(response.status);
        expect(response.headers.get('ratelimit')).toMatch(/r=\d+/);
      }
      expect(statuses).toEqual(Array(10).fill(200));
      for (const base of [one, two]) {
        const refused = await call(base);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
      }
      // Another principal has its own budget.
      const other = await postGraphQL(`${one}${PARTNER}`, '{ __typename }', { headers: { authorization: `Bearer ${keys.partnerB}` } });
      expect(other.status).toBe(200);
    }, 90_000);
  });
});
