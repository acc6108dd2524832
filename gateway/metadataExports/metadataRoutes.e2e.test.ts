import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TestPrincipalName } from '../../test/support/gatewayAccess.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import type { TestGateway } from '../../test/support/startTestGateway.js';
import { startTestGateway } from '../../test/support/startTestGateway.js';
import { contractPath } from '../catalog/index.js';
import { createAuditUsageReader, createCounterUsageReader } from '../governance/index.js';
import type { OpenLineageDatasetEvent } from './buildOpenLineageEvents.js';
import type { SpecValidators } from './createSpecValidators.js';
import { createSpecValidators } from './createSpecValidators.js';

const PARTNER = '/contracts/partner_order_status/v1';
const INTERNAL_ONLY = '/contracts/customer_order_timeline/v2';

/**
 * The published documents of each contract version over real HTTP: the self-contained SDL, the
 * ODCS contract and the OpenLineage events, under the SDL route's access rules.
 */
describe('published contract documents: schema.graphql, odcs.yaml, openlineage.json', () => {
  let t: TestGateway;
  let specs: SpecValidators;
  const get = (who: TestPrincipalName | null, path: string) => fetch(`${t.url}${path}`, { headers: who ? t.bearer(who) : {} });

  beforeAll(async () => {
    specs = createSpecValidators();
    t = await startTestGateway({ prefix: 'metadata_routes', services: 'postgres', orders: { count: 20, seed: 11 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves every contract SDL, to each audience it is served, that builds on its own with buildSchema', async () => {
    const served: Array<[TestPrincipalName, string]> = [...t.gateway.contracts.map((c) => ['internal', contractPath(c)] as [TestPrincipalName, string]), ['partner', PARTNER]];
    expect(served.length).toBeGreaterThanOrEqual(5);
    for (const [who, path] of served) {
      const response = await get(who, `${path}/schema.graphql`);
      expect(response.status, `${who} ${path}`).toBe(200);
      const sdl = await response.text();
      expect(() => buildSchema(sdl), `${who} ${path}`).not.toThrow();
      expect(sdl).toContain('directive @classification(level: DataClassification!) on FIELD_DEFINITION');
    }
  });

  it('serves ODCS and OpenLineage documents that validate against the shipped schemas', async () => {
    for (const contract of t.gateway.contracts) {
      const odcs = await get('internal', `${contractPath(contract)}/odcs.yaml`);
      expect(odcs.status).toBe(200);
      expect(odcs.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
      expect(specs.odcs(parse(await odcs.text())), contractPath(contract)).toEqual([]);
      const lineage = await get('internal', `${contractPath(contract)}/openlineage.json`);
      expect(lineage.status).toBe(200);
      expect(lineage.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const events = (await lineage.json()) as OpenLineageDatasetEvent[];
      expect(events.at(-1)!.dataset.name).toBe(`${contract.meta.name}/v${contract.meta.version}`);
      for (const event of events) expect(specs.openLineageEvent(event), `${contractPath(contract)} ${event.dataset.name}`).toEqual([]);
    }
  });

  it("gives a partner its redacted view and nothing of contracts it may not use", async () => {
    for (const document of ['odcs.yaml', 'openlineage.json', 'schema.graphql']) {
      const response = await get('partner', `${PARTNER}/${document}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain('shippingCity');
      expect(text).not.toContain('Order.customerEmail');
      expect(text).not.toContain('customer_email');
      expect(text).toContain('customerEmailMasked');
    }
    const partnerOdcs = parse(await (await get('partner', `${PARTNER}/odcs.yaml`)).text());
    expect(specs.odcs(partnerOdcs)).toEqual([]);

    const forbidden = await get('partner', `${INTERNAL_ONLY}/odcs.yaml`);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect((await get('partner', `${INTERNAL_ONLY}/openlineage.json`)).status).toBe(403);
    expect((await get(null, `${PARTNER}/openlineage.json`)).status).toBe(401);
    expect((await get('partner', `${PARTNER}/catalog.xml`)).status).toBe(404);
  });

  it('lets check read the usage the gateway records: its counters and its audit log', async () => {
    const query = await postGraphQL(`${t.url}/contracts/customer_order_timeline/v1`, '{ recentCustomerOrders(first: 2) { orderId orderStatus } }', { headers: { ...t.bearer('internal'), 'apollographql-client-name': 'steward-portal' } });
    expect(query.status).toBe(200);
    expect(query.headers.get('deprecation')).toMatch(/^@\d+$/);

    const counters = createCounterUsageReader(t.cache);
    // "steward-portal" is not a declared consumer of the contract, nor the caller's name: counted, but as unidentified.
    expect(await counters.read('customer_order_timeline', 1, 'CustomerOrderTimeline.orderStatus')).toEqual([{ client: 'unidentified', count: 1 }]);
    expect(await counters.read('customer_order_timeline', 1, 'CustomerOrderTimeline.orderTotalAsFloat')).toEqual([]);

    await t.access.audit.flush();
    const audit = createAuditUsageReader(t.db, { schema: `${t.schema}_access` });
    expect(await audit.read('customer_order_timeline', 1, 'CustomerOrderTimeline.orderStatus')).toEqual([{ client: 'test-internal', count: 1 }]);
    expect(await audit.read('customer_order_timeline', 2, 'CustomerOrderTimeline.orderStatus')).toEqual([]);
  });
});
