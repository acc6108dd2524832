import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { TestPrincipalName } from '../test/support/gatewayAccess.js';
import { captureLogger } from '../test/support/captureLogger.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { postgresUrl } from '../test/support/services.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';
import type { OpenedAccess } from './openAccess.js';

const PARTNER = '/contracts/partner_order_status/v1';
const INTERNAL = '/contracts/customer_order_timeline/v2';
const NODE_FIELDS = 'orderId salesChannel orderLifecycleState customerToken customerEmailMasked shippingPostalCodeMasked shippingCountry orderTotal { amount currency } orderLines { sku quantity }';

interface RawOrder {
  order_id: string;
  customer_id: string;
  customer_email: string;
  shipping_line1: string;
  shipping_city: string;
  shipping_postal_code: string;
  sales_channel: string;
}

/**
 * The bypass matrix: a partner principal must never obtain a raw PII value or a row outside its
 * scope, whatever path it takes. Every response a partner gets in this file is also searched for
 * every raw email, street, city and postal code in the projection.
 */
describe('who is asking: credentials, audiences, redaction, row scope', () => {
  let t: TestGateway;
  let db: Database;
  let url: string;
  let access: OpenedAccess;
  let bearer: (who: TestPrincipalName) => Record<string, string>;
  let schema: string;
  let raw: RawOrder[];
  let rawSecrets: string[];

  const as = (who: TestPrincipalName | null, path: string, query: string, options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {}) =>
    postGraphQL(`${url}${path}`, query, { ...options, headers: { ...(who ? bearer(who) : {}), ...options.headers } });
  /** Fails if any raw personal value of the projection appears anywhere in the text. */
  const expectNoRawPii = (text: string) => {
    const leaked = rawSecrets.filter((secret) => text.includes(secret));
    expect(leaked, 'raw PII reached a partner').toEqual([]);
  };
  const asPartner = async (query: string, options: { variables?: Record<string, unknown> } = {}, path = PARTNER) => {
    const response = await as('partner', path, query, options);
    expectNoRawPii(JSON.stringify(response.body));
    return response;
  };

  beforeAll(async () => {
    // Watermarks are read on every request (no cache), so the locked-table test sees the lock.
    t = await startTestGateway({ prefix: 'orders_access', services: 'postgres', orders: { count: 300, seed: 7, faults: { legacyShare: 0.2, malformedRate: 0.02 } }, gateway: { freshness: { ttlMs: 0 }, exports: { directory: await mkdtemp(join(tmpdir(), 'access-exports-')) } } });
    ({ db, url, access, bearer, schema } = t);
    raw = (await db.query<RawOrder & Record<string, unknown>>(`select order_id, customer_id, customer_email, shipping_line1, shipping_city, shipping_postal_code, sales_channel from "${schema}".orders`)).rows;
    rawSecrets = [...new Set(raw.flatMap((o) => [o.customer_email, o.shipping_line1, o.shipping_city, `"${o.shipping_postal_code}"`]))];
    expect(raw.filter((o) => o.sales_channel === 'marketplace').length).toBeGreaterThan(10);
    expect(raw.filter((o) => o.sales_channel !== 'marketplace').length).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('credentials', () => {
    it('answers 401 UNAUTHENTICATED without a credential on every endpoint but /health', async () => {
      for (const path of [PARTNER, INTERNAL, '/catalog', '/subgraphs/orders/v2', '/admin/quarantine', '/admin/watermarks', '/', `${PARTNER}/schema.graphql`]) {
        const response = await fetch(`${url}${path}`, { method: path.startsWith('/admin') || path.endsWith('.graphql') || path === '/' ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: path.startsWith('/admin') || path.endsWith('.graphql') || path === '/' ? undefined : JSON.stringify({ query: '{ __typename }' }) });
        expect(response.status, path).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
        const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
        expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('No credential'), extensions: { code: 'UNAUTHENTICATED' } });
      }
      expect((await fetch(`${url}/health`)).status).toBe(200);
    });

    it('says what is wrong with a bad credential without revealing which keys exist', async () => {
      const unknown = await as(null, PARTNER, '{ __typename }', { headers: { authorization: `Bearer dpg_abcdefgh_${'A'.repeat(43)}` } });
      expect(unknown.status).toBe(401);
      expect(unknown.body.errors![0]!.message).toMatch(/API key is not valid \(unknown or revoked\)/);
      const malformed = await as(null, PARTNER, '{ __typename }', { headers: { 'x-api-key': 'hunter2' } });
      expect(malformed.status).toBe(401);
      expect(malformed.body.errors![0]!.message).toMatch(/malformed/);
      expect(JSON.stringify(malformed.body)).not.toContain('hunter2');
      const jwt = await as(null, PARTNER, '{ __typename }', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' } });
      expect(jwt.status).toBe(401);
      expect(jwt.body.errors![0]!.message).toMatch(/JWTs are not accepted here/);
    });

    it('refuses a revoked key at once', async () => {
      const { apiKey } = await access.principals.create({ name: 'soon-revoked', audience: 'INTERNAL', contracts: ['*'] });
      expect((await as(null, INTERNAL, '{ __typename }', { headers: { authorization: `Bearer ${apiKey}` } })).status).toBe(200);
      await access.principals.revoke('soon-revoked');
      const after = await as(null, INTERNAL, '{ __typename }', { headers: { authorization: `Bearer ${apiKey}` } });
      expect(after.status).toBe(401);
    });
  });

  describe('catalog sign-in in a browser', () => {
    it('signs in with an API key into an HttpOnly, SameSite=Strict session for /catalog only, and signs out', async () => {
      const page = await fetch(`${url}/catalog`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('<form method="post" action="/catalog/sign-in">');

      const form = (apiKey: string) => fetch(`${url}/catalog/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ apiKey }).toString() });
      const wrong = await form(`dpg_abcdefgh_${'B'.repeat(43)}`);
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('not valid (unknown or revoked)');
      expect(wrong.headers.get('set-cookie')).toBeNull();
      expect((await form('')).status).toBe(400);
      const json = await fetch(`${url}/catalog/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{"apiKey":"x"}' });
      expect(json.status).toBe(415);

      const signedIn = await form(bearer('partner').authorization!.slice('Bearer '.length));
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/catalog');
      const cookie = signedIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^dpg_session=[A-Za-z0-9_-]{43}; Path=\/catalog; HttpOnly; SameSite=Strict; Max-Age=\d+/);
      const session = cookie.split(';')[0]!;

      // The web app's shell, and the same session on the page without JavaScript.
      const app = await fetch(`${url}/catalog`, { headers: { accept: 'text/html', cookie: session } });
      expect(app.status).toBe(200);
      expect(await app.text()).toContain('<script type="module" src="/catalog/assets/app.js');
      const catalog = await fetch(`${url}/catalog/static`, { headers: { accept: 'text/html', cookie: session } });
      expect(catalog.status).toBe(200);
      const html = await catalog.text();
      expect(html).toContain('Signed in as <strong>test-partner-a</strong>');
      expect(html).not.toContain('customer_order_timeline');
      // The session is the catalog's only: an API call with the cookie alone is unauthenticated.
      expect((await as(null, PARTNER, '{ __typename }', { headers: { cookie: session } })).status).toBe(401);

      const out = await fetch(`${url}/catalog/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: session } });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
      for (const path of ['/catalog', '/catalog/static']) expect((await fetch(`${url}${path}`, { headers: { accept: 'text/html', cookie: session } })).status, path).toBe(401);
    });
  });

  describe('what each principal may use', () => {
    it('answers 403 FORBIDDEN for a contract the principal may not use', async () => {
      const response = await asPartner('{ recentCustomerOrders(first: 1) { customerEmail } }', {}, INTERNAL);
      expect(response.status).toBe(403);
      expect(response.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await fetch(`${url}${INTERNAL}/schema.graphql`, { headers: bearer('partner') })).status).toBe(403);
    });

    it('keeps subgraph and admin endpoints for operators', async () => {
      for (const who of ['partner', 'internal'] as const) {
        expect((await as(who, '/subgraphs/orders/v2', '{ ordersByIds(orderIds: ["x"]) { orderId } }')).status).toBe(403);
        expect((await fetch(`${url}/admin/quarantine`, { headers: bearer(who) })).status).toBe(403);
      }
      expect((await as('operator', '/subgraphs/orders/v2', '{ ordersByIds(orderIds: ["x"]) { orderId } }')).status).toBe(200);
      expect((await fetch(`${url}/admin/watermarks`, { headers: bearer('operator') })).status).toBe(200);
    });

    it('refuses a partner principal without the row scope the contract requires', async () => {
      const { apiKey } = await access.principals.create({ name: 'scoped-elsewhere', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rowScope: { region: ['EU'] } });
      const response = await as(null, PARTNER, '{ partnerOrders(first: 1) { orderId } }', { headers: { authorization: `Bearer ${apiKey}` } });
      expect(response.status).toBe(403);
      expect(response.body.errors![0]!.message).toContain('salesChannel');
    });
  });

  describe('bypass matrix: a partner never gets raw PII or another channel’s rows', () => {
    it('plain selection: masked email and postal code, tokenized customer, marketplace rows only', async () => {
      const { status, body } = await asPartner(`{ partnerOrders(first: 100) { ${NODE_FIELDS} } }`);
      expect(status).toBe(200);
      const orders = body.data!.partnerOrders as Array<Record<string, unknown>>;
      expect(orders.length).toBe(raw.filter((o) => o.sales_channel === 'marketplace').length);
      for (const order of orders) {
        expect(order.salesChannel).toBe('MARKETPLACE');
        expect(order.customerEmailMasked).toMatch(/^.\*\*\*@/);
        expect(order.shippingPostalCodeMasked).toMatch(/^(..)?\*\*\*$/);
        expect(order.customerToken).toMatch(/^tok_[A-Za-z0-9_-]{43}$/);
      }
      expect(body.extensions!.redactions).toEqual(
        expect.arrayContaining([
          { field: 'PartnerOrderStatus.customerEmailMasked', strategy: 'MASK', mask: 'EMAIL' },
          { field: 'PartnerOrderStatus.customerToken', strategy: 'TOKENIZE' },
        ]),
      );
    });

    it('aliases, named and inline fragments, variables, @skip/@include: still redacted', async () => {
      const document = `query Q($show: Boolean!, $hide: Boolean!, $n: Int!) {
        partnerOrders(first: $n) {
          a: customerEmailMasked b: customerEmailMasked
          ...F
          ... on PartnerOrderStatus { c: customerToken @include(if: $show) d: customerEmailMasked @skip(if: $hide) }
        }
      }
      fragment F on PartnerOrderStatus { e: shippingPostalCodeMasked }`;
      const { body } = await asPartner(document, { variables: { show: true, hide: false, n: 50 } });
      expect(body.errors).toBeUndefined();
      for (const order of body.data!.partnerOrders as Array<Record<string, string>>) {
        for (const key of ['a', 'b', 'd']) expect(order[key]).toMatch(/\*\*\*@/);
        expect(order.c).toMatch(/^tok_/);
        expect(order.e).toMatch(/\*\*\*$/);
      }
    });

    it('an OMIT field does not exist: not queryable, not in __type, __schema or the SDL', async () => {
      const direct = await asPartner('{ partnerOrders(first: 1) { shippingCity } }');
      expect(direct.status).toBe(400);
      expect(direct.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const byType = await asPartner('{ __type(name: "PartnerOrderStatus") { fields { name } } }');
      const names = (byType.body.data!.__type as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
      expect(names).toContain('customerEmailMasked');
      expect(names).not.toContain('shippingCity');
      const bySchema = await asPartner('{ __schema { types { name fields { name } } } }');
      expect(JSON.stringify(bySchema.body)).not.toContain('shippingCity');
      const sdl = await (await fetch(`${url}${PARTNER}/schema.graphql`, { headers: bearer('partner') })).text();
      expect(sdl).toContain('customerEmailMasked');
      expect(sdl).not.toContain('shippingCity');
      // Internal principals see the whole contract.
      const internal = await as('internal', PARTNER, '{ partnerOrders(first: 1) { shippingCity } }');
      expect(internal.status).toBe(200);
    });

    it('a guessed order id of another channel is indistinguishable from a missing one', async () => {
      const web = raw.find((o) => o.sales_channel !== 'marketplace')!;
      const mine = raw.find((o) => o.sales_channel === 'marketplace')!;
      const { body } = await asPartner('query($a: ID!, $b: ID!, $c: ID!) { theirs: partnerOrder(orderId: $a) { orderId } missing: partnerOrder(orderId: $c) { orderId } mine: partnerOrder(orderId: $b) { orderId customerEmailMasked } }', { variables: { a: web.order_id, b: mine.order_id, c: 'ord-does-not-exist' } });
      expect(body.data).toMatchObject({ theirs: null, missing: null, mine: { orderId: mine.order_id } });
    });

    it('no filter or sort on a redacted field exists to probe values with', async () => {
      const response = await asPartner('{ partnerOrders(first: 5, where: { customerEmailMasked: "a@example.com" }, orderBy: customerEmailMasked) { orderId } }');
      expect(response.status).toBe(400);
      expect(response.body.errors!.map((e) => e.message).join(' ')).toMatch(/Unknown argument "where"/);
    });

    it('errors carry no stored values: a bad cursor, a bad variable, an unknown field', async () => {
      const cursor = await asPartner('{ changes(since: "not-a-cursor", first: 5) { endCursor } }');
      expect(cursor.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      const variable = await asPartner('query($n: Int!) { partnerOrders(first: $n) { orderId } }', { variables: { n: 'ten' } });
      expect(variable.status).toBe(400);
      expect(variable.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      // Did-you-mean suggestions must not name an omitted field.
      const suggestion = await asPartner('{ partnerOrders(first: 1) { shippingCit } }');
      expect(JSON.stringify(suggestion.body)).not.toContain('shippingCity');
    });

    it('the changes feed pages through exactly the partner’s rows, redacted, nothing twice', async () => {
      const seen = new Map<string, number>();
      let since: string | null = null;
      for (let page = 0; page < 100; page++) {
        const { body } = await asPartner(`query($since: Cursor) { changes(since: $since, first: 7) { nodes { ${NODE_FIELDS} } endCursor hasMore } }`, { variables: { since } });
        const changes = body.data!.changes as { nodes: Array<{ orderId: string; salesChannel: string }>; endCursor: string | null; hasMore: boolean };
        for (const node of changes.nodes) {
          expect(node.salesChannel).toBe('MARKETPLACE');
          seen.set(node.orderId, (seen.get(node.orderId) ?? 0) + 1);
        }
        since = changes.endCursor;
        if (!changes.hasMore) break;
      }
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect([...seen.keys()].sort()).toEqual(raw.filter((o) => o.sales_channel === 'marketplace').map((o) => o.order_id).sort());
    });

    it('the change feed planned in SQL (exports) equals the GraphQL feed, row by row, for a partner and an internal principal', async () => {
      const contract = t.gateway.contracts.find((c) => c.meta.name === 'partner_order_status')!;
      for (const who of ['partner', 'internal'] as const) {
        const principal = await access.authenticator.authenticate(bearer(who));
        // Every field of the principal's view, as an export selects them.
        const all = 'orderId salesChannel orderLifecycleState orderPlacedAt commercialCommitmentAt cancelledAt orderTotal { amount currency } orderLines { lineId sku quantity } customerToken customerEmailMasked shippingPostalCodeMasked shippingCountry';
        const fields = who === 'partner' ? all : `${all} shippingCity`;
        let since: string | null = null;
        for (let page = 0; page < 3; page++) {
          const planned = await t.gateway.executeChangeFeedPage({ contract, principal, feedField: 'changes', since, first: 40 });
          expect(planned, 'the partner feed must be plannable').not.toBeNull();
          const { body } = await as(who, PARTNER, `query($since: Cursor) { changes(since: $since, first: 40) { nodes { ${fields} } endCursor hasMore } }`, { variables: { since } });
          const graph = body.data!.changes as { nodes: unknown[]; endCursor: string | null; hasMore: boolean };
          const rows = planned!.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
          expect(rows).toEqual(graph.nodes);
          if (who === 'partner') {
            expectNoRawPii(planned!.lines.join('\n'));
            expect(rows.every((row) => !('shippingCity' in row))).toBe(true);
          }
          expect({ endCursor: planned!.endCursor, hasMore: planned!.hasMore }).toEqual({ endCursor: graph.endCursor, hasMore: graph.hasMore });
          since = graph.endCursor;
        }
      }
    });

    it('feed cursors are sealed per principal: opaque, and useless to anyone else', async () => {
      const page = await asPartner('{ changes(first: 3) { endCursor } }');
      const cursor = (page.body.data!.changes as { endCursor: string }).endCursor;
      expect(cursor).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
      const decoded = Buffer.from(cursor.slice(3), 'base64url').toString('latin1');
      expect(decoded).not.toMatch(/oc1|ord-/);
      const again = await asPartner('query($c: Cursor) { changes(since: $c, first: 1) { nodes { orderId } } }', { variables: { c: cursor } });
      expect(again.body.errors).toBeUndefined();
      for (const other of ['partnerB', 'internal'] as const) {
        const theirs = await as(other, PARTNER, 'query($c: Cursor) { changes(since: $c, first: 1) { nodes { orderId } } }', { variables: { c: cursor } });
        expect(theirs.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('not issued to you') });
      }
    });

    it('the catalog shows a partner only its contract, without omitted fields or redacted fields’ lineage', async () => {
      const { body } = await asPartner('{ contracts { name version sdl fields { coordinate lineage { columns } usage { client } } } subgraphs { id } }', {}, '/catalog');
      const contracts = body.data!.contracts as Array<{ name: string; sdl: string; fields: Array<{ coordinate: string; lineage: Array<{ columns: string[] }> }> }>;
      expect(contracts.map((c) => c.name)).toEqual(['partner_order_status']);
      const fields = new Map(contracts[0]!.fields.map((f) => [f.coordinate, f]));
      expect(fields.has('PartnerOrderStatus.shippingCity')).toBe(false);
      expect(contracts[0]!.sdl).not.toContain('shippingCity');
      expect(fields.get('PartnerOrderStatus.customerEmailMasked')!.lineage).toEqual([]);
      expect(fields.get('PartnerOrderStatus.orderId')!.lineage.length).toBeGreaterThan(0);
      expect(body.data!.subgraphs).toEqual([]);
      const page = await (await fetch(`${url}/catalog/static`, { headers: { ...bearer('partner'), accept: 'text/html' } })).text();
      expect(page).toContain('partner_order_status');
      expect(page).not.toContain('customer_order_timeline');
      expect(page).not.toContain('shippingCity');
      expectNoRawPii(page);
    });

    it('a partner cannot reach the internal contract even through the catalog SDL of another contract', async () => {
      const { body } = await asPartner('{ contract(name: "customer_order_timeline", version: 2) { sdl } }', {}, '/catalog');
      expect(body.data!.contract).toBeNull();
    });
  });

  describe('tokens', () => {
    it('are stable for one partner and differ across partners for the same customer', async () => {
      const query = `{ partnerOrders(first: 20) { orderId customerToken } }`;
      const a1 = (await as('partner', PARTNER, query)).body.data!.partnerOrders as Array<{ orderId: string; customerToken: string }>;
      const a2 = (await as('partner', PARTNER, query)).body.data!.partnerOrders as Array<{ orderId: string; customerToken: string }>;
      const b = (await as('partnerB', PARTNER, query)).body.data!.partnerOrders as Array<{ orderId: string; customerToken: string }>;
      expect(a2).toEqual(a1);
      for (let i = 0; i < a1.length; i++) {
        expect(b[i]!.orderId).toBe(a1[i]!.orderId);
        expect(b[i]!.customerToken).not.toBe(a1[i]!.customerToken);
      }
      // The same customer on two orders gets one token.
      const byCustomer = new Map<string, Set<string>>();
      for (const o of a1) {
        const customer = raw.find((r) => r.order_id === o.orderId)!.customer_id;
        byCustomer.set(customer, new Set([...(byCustomer.get(customer) ?? []), o.customerToken]));
      }
      expect([...byCustomer.values()].every((tokens) => tokens.size === 1)).toBe(true);
    });
  });

  describe('quarantine and audit', () => {
    it('lists quarantine payloads redacted; the original needs an explicit flag and is audited', async () => {
      const redacted = await (await fetch(`${url}/admin/quarantine?limit=1000`, { headers: bearer('operator') })).text();
      expect(JSON.parse(redacted).length).toBeGreaterThan(0);
      expectNoRawPii(redacted);
      const tooMany = await fetch(`${url}/admin/quarantine?limit=1000000`, { headers: bearer('operator') });
      expect(tooMany.status).toBe(400);
      const original = await fetch(`${url}/admin/quarantine?limit=5&original=true`, { headers: bearer('operator') });
      expect(original.status).toBe(200);
      await access.audit.flush();
      const audited = await access.audit.list({ action: 'quarantine.original' });
      expect(audited.length).toBeGreaterThan(0);
    });

    it('records every contract request with principal, fields, rows and redactions, and no values', async () => {
      await as('partner', PARTNER, '{ partnerOrders(first: 3) { orderId customerEmailMasked } }', { headers: { 'x-correlation-id': 'audit-probe-1' } });
      await access.audit.flush();
      const entries = await access.audit.list({ action: 'contract.query' });
      const probe = entries.find((e) => e.correlationId === 'audit-probe-1');
      expect(probe).toMatchObject({ principalName: 'test-partner-a', contract: 'partner_order_status/v1', rowsReturned: 3, outcome: 'ok' });
      expect(probe!.fieldsSelected).toEqual(expect.arrayContaining(['Query.partnerOrders', 'PartnerOrderStatus.customerEmailMasked']));
      expect(probe!.redactions).toEqual([{ field: 'PartnerOrderStatus.customerEmailMasked', strategy: 'MASK' }]);
      const denied = await access.audit.list({ action: 'access.denied' });
      expect(denied.length).toBeGreaterThan(0);
      const everything = JSON.stringify(await db.query(`select * from "${schema}_access".audit_log`));
      expectNoRawPii(everything);
    });
  });

  describe('the error path', () => {
    it('gives malformed JSON, an empty body and a wrong content type each their own message', async () => {
      const post = (body: string, contentType?: string) => fetch(`${url}${INTERNAL}`, { method: 'POST', headers: { ...bearer('internal'), ...(contentType ? { 'content-type': contentType } : {}) }, body });
      const malformed = await post('{"query": ', 'application/json');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/^Request body is not valid JSON/), extensions: { code: 'BAD_REQUEST' } }] });
      const empty = await post('', 'application/json');
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/^Request body is empty/), extensions: { code: 'BAD_REQUEST' } }] });
      const text = await post('{ __typename }', 'text/plain');
      expect(text.status).toBe(415);
      expect(await text.json()).toMatchObject({ errors: [{ message: expect.stringContaining('"text/plain" is not accepted'), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    });

    it('a resolver failure keeps its path, is masked, and is logged once with the correlation id the client gets', async () => {
      // A database that fails every statement, behind the same access: the failure is unexpected.
      const failing: Database = { ...db, query: async () => Promise.reject(new Error('relation "orders" does not exist at db-primary.internal')), close: async () => undefined };
      const logged = captureLogger();
      const broken = await createGateway({ db: failing, log: t.log, cache: t.cache }, access, { projectionSchemas: { orders: schema }, logger: logged.logger });
      const { server, url: brokenUrl } = await listen(broken.handle, '127.0.0.1', 0);
      try {
        const response = await postGraphQL(`${brokenUrl}${INTERNAL}`, '{ customerOrderTimeline(orderId: "ord-000001") { orderId } }', { headers: { ...bearer('internal'), 'x-correlation-id': 'failure-probe-1' } });
        expect(response.body.errors![0]).toMatchObject({ path: ['customerOrderTimeline'], extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'failure-probe-1' } });
        expect(JSON.stringify(response.body)).not.toContain('db-primary');
        const lines = logged.lines.map((l) => JSON.stringify(l)).filter((line) => line.includes('failure-probe-1') && line.includes('db-primary'));
        expect(lines).toHaveLength(1);
      } finally {
        server.close();
        await broken.stop();
      }
    });

    it('refuses before execution what would fail inside it: NUL characters, unknown operations, mutations, persisted-query hashes', async () => {
      const nul = await as('partner', PARTNER, '{ partnerOrder(orderId: "ord-1\\u0000") { orderId } }');
      expect(nul.status).toBe(400);
      expect(nul.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('NUL') });
      const nulVariable = await as('partner', PARTNER, 'query($c: Cursor) { changes(since: $c, first: 1) { endCursor } }', { variables: { c: 'b2MxOjE6MTphAGI\u0000' } });
      expect(nulVariable.status).toBe(400);
      const unknownOperation = await postGraphQL(`${url}${PARTNER}`, 'query A { __typename }', { operationName: 'Z', headers: bearer('partner') });
      expect(unknownOperation.status).toBe(400);
      expect(unknownOperation.body.errors![0]!.extensions!.code).toBe('OPERATION_RESOLUTION_FAILURE');
      for (const path of [PARTNER, '/catalog']) {
        const mutation = await as('partner', path, 'mutation { x }');
        expect(mutation.status, path).toBe(400);
        expect(mutation.body.errors![0]!.extensions!.code).not.toBe('INTERNAL_SERVER_ERROR');
      }
      const persisted = await fetch(`${url}${PARTNER}`, { method: 'POST', headers: { ...bearer('partner'), 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }) });
      // Automatic persisted queries are off, and a client using them is told so by the APQ protocol's own code.
      expect(await persisted.json()).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] });
    });

    it('answers unknown routes, wrong methods and compressed bodies precisely, with a correlation id', async () => {
      const unknown = await fetch(`${url}/nope`, { headers: bearer('partner') });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND', correlationId: expect.any(String) } }] });
      const del = await fetch(`${url}/exports/abc`, { method: 'DELETE', headers: bearer('partner') });
      expect(del.status).toBe(405);
      expect(del.headers.get('allow')).toBe('GET');
      const post = await fetch(`${url}/admin/quarantine`, { method: 'POST', headers: bearer('operator') });
      expect(post.status).toBe(405);
      const gz = await fetch(`${url}${INTERNAL}`, { method: 'POST', headers: { ...bearer('internal'), 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not really gzip' });
      expect(gz.status).toBe(415);
      const malformed = await fetch(`${url}${INTERNAL}`, { method: 'POST', headers: { ...bearer('internal'), 'content-type': 'application/json' }, body: 'customer1234@example.com' });
      expect(await malformed.text()).not.toContain('customer12');
    });

    it('shows a partner no lineage for its redacted fields, in responses and in its SDL', async () => {
      const { body } = await asPartner('{ partnerOrders(first: 1) { orderId customerToken } }');
      const lineage = body.extensions!.lineage as Record<string, unknown[]>;
      expect(lineage['partnerOrders.customerToken']).toEqual([]);
      expect(lineage['partnerOrders.orderId']!.length).toBeGreaterThan(0);
      const sdl = await (await fetch(`${url}${PARTNER}/schema.graphql`, { headers: bearer('partner') })).text();
      expect(sdl).toMatch(/customerToken: ID! @classification/);
      expect(sdl).not.toContain('Order.customerId');
      expect(sdl).not.toContain('Order.customerEmail');
    });

    it('serves a response with UNKNOWN freshness when the watermark table is locked', async () => {
      const locker = await createPostgresDatabase(postgresUrl());
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const locking = locker.transaction(async (tx) => {
        const { rows } = await tx.query<{ table: string }>(`select quote_ident(table_schema) || '.' || quote_ident(table_name) as table from information_schema.tables where table_schema = $1 and table_name = 'projection_checkpoints'`, [schema]);
        expect(rows).toHaveLength(1);
        for (const row of rows) await tx.query(`lock table ${row.table} in access exclusive mode`);
        await held;
      });
      try {
        await new Promise((r) => setTimeout(r, 100));
        const started = Date.now();
        const { status, body } = await as('internal', INTERNAL, '{ recentCustomerOrders(first: 2) { orderId } }');
        expect(status).toBe(200);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(body.extensions!.freshness).toEqual([expect.objectContaining({ status: 'UNKNOWN', unavailable: expect.stringMatching(/did not answer within \d+ ms/) })]);
      } finally {
        release();
        await locking;
        await locker.close();
      }
    });
  });
});
