import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contexts } from '../../subgraphs/index.js';
import type { Principal } from '../access/index.js';
import { visibleContracts, withSelfContainedSdl } from '../catalog/index.js';
import type { CompiledContract, ContractAudience } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import type { OpenLineageDatasetEvent } from './buildOpenLineageEvents.js';
import type { SpecValidators } from './createSpecValidators.js';
import { createSpecValidators } from './createSpecValidators.js';
import { renderContractDocument } from './renderContractDocument.js';

const principal = (audience: ContractAudience): Principal => ({ id: `prn_${audience}`, name: audience, audience, contracts: ['*'], rights: [], rowScope: audience === 'PARTNER' ? { salesChannel: ['MARKETPLACE'] } : null, credential: { kind: 'apiKey', prefix: 'dpg_test' } });
const FIXED_TIME = { now: () => new Date('2026-12-06T10:00:00.000Z') };

interface ColumnLineage {
  fields: Record<string, { inputFields: Array<{ namespace: string; name: string; field: string; transformations: Array<{ masking: boolean }> }> }>;
}

describe('standard exports of contract metadata (ODCS 3.1.0, OpenLineage 2-0-2)', () => {
  let contracts: CompiledContract[];
  let specs: SpecValidators;
  /** Every contract view a principal can be served: INTERNAL for all, PARTNER for partner contracts. */
  let views: Array<{ audience: ContractAudience; view: CompiledContract }>;

  beforeAll(async () => {
    specs = createSpecValidators();
    contracts = (await loadContracts(new URL('../../contracts', import.meta.url).pathname, contexts.flatMap((c) => c.subgraphs))).map(withSelfContainedSdl);
    views = (['INTERNAL', 'PARTNER'] as const).flatMap((audience) => visibleContracts(principal(audience), contracts).map((view) => ({ audience, view })));
  });

  const odcsOf = (view: CompiledContract, audience: ContractAudience) => parse(renderContractDocument(view, audience, 'odcs.yaml', FIXED_TIME).body) as Record<string, unknown>;
  const eventsOf = (view: CompiledContract, audience: ContractAudience) => JSON.parse(renderContractDocument(view, audience, 'openlineage.json', FIXED_TIME).body) as OpenLineageDatasetEvent[];

  it('validates the validators: a document that breaks the schemas is refused', () => {
    expect(specs.odcs({ apiVersion: 'v3.1.0', kind: 'DataContract', id: 'x', status: 'active' })).toContain('odcs must have required property \'version\' {"missingProperty":"version"}');
    expect(specs.openLineageEvent({ eventTime: 'yesterday', producer: 'p', schemaURL: 'x', dataset: { namespace: 'n', name: 'd', facets: { schema: { fields: [{}] } } } }).length).toBeGreaterThan(0);
  });

  it('writes an ODCS v3.1.0 document for every contract version and audience that validates against the shipped schema', () => {
    expect(views.map((v) => `${v.view.meta.name} v${v.view.meta.version} ${v.audience}`)).toContain('partner_order_status v1 PARTNER');
    for (const { view, audience } of views) {
      const document = odcsOf(view, audience);
      expect(specs.odcs(document), `${view.meta.name} v${view.meta.version} ${audience}`).toEqual([]);
      expect(document).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', name: view.meta.name, version: String(view.meta.version), status: view.meta.status.toLowerCase(), team: { name: view.meta.owner } });
    }
  });

  it('writes OpenLineage dataset events with schema, ownership, documentation and column lineage that validate against the spec and facet schemas', () => {
    for (const { view, audience } of views) {
      const events = eventsOf(view, audience);
      for (const event of events) expect(specs.openLineageEvent(event), `${view.meta.name} ${audience} ${event.dataset.name}`).toEqual([]);
      const contract = events.at(-1)!;
      expect(contract.dataset).toMatchObject({ namespace: 'graphql://data-product-gateway', name: `${view.meta.name}/v${view.meta.version}` });
      expect(Object.keys(contract.dataset.facets).sort()).toEqual(['columnLineage', 'datasetType', 'documentation', 'ownership', 'schema']);
      expect(contract.dataset.facets.ownership).toMatchObject({ owners: [{ name: `team:${view.meta.owner}`, type: 'OWNER' }] });
    }
  });

  it('traces every contract field from topic through projection table to the contract, and names only datasets it describes', () => {
    const timeline = contracts.find((c) => c.meta.name === 'customer_order_timeline' && c.meta.version === 1)!;
    const events = eventsOf(timeline, 'INTERNAL');
    const datasets = new Map(events.map((e) => [`${e.dataset.namespace}|${e.dataset.name}`, e.dataset]));
    const email = (events.at(-1)!.dataset.facets.columnLineage as unknown as ColumnLineage).fields['CustomerOrderTimeline.customerEmail']!.inputFields;
    expect(email).toEqual([expect.objectContaining({ namespace: 'postgres://data-product-gateway', name: 'orders.orders', field: 'customer_email' })]);
    const table = datasets.get('postgres://data-product-gateway|orders.orders')!;
    const column = (table.facets.columnLineage as unknown as ColumnLineage).fields.customer_email!.inputFields;
    expect(column.map((i) => `${i.name}:${i.field}`)).toEqual(expect.arrayContaining(['orders.events.v1:OrderPlaced.data.customerEmail', 'legacy.oms.cdc:OrderPlaced.data.customerEmail']));
    for (const event of events) {
      for (const { inputFields } of Object.values((event.dataset.facets.columnLineage as unknown as ColumnLineage | undefined)?.fields ?? {})) {
        for (const input of inputFields) expect(datasets.has(`${input.namespace}|${input.name}`), `${event.dataset.name} reads ${input.name}`).toBe(true);
      }
    }
  });

  it("gives a partner its redacted view: OMIT fields absent, no lineage for the fields redacted for it", () => {
    const partnerContract = contracts.find((c) => c.meta.name === 'partner_order_status')!;
    const view = visibleContracts(principal('PARTNER'), [partnerContract])[0]!;
    const odcs = renderContractDocument(view, 'PARTNER', 'odcs.yaml').body;
    const lineage = renderContractDocument(view, 'PARTNER', 'openlineage.json').body;
    for (const text of [odcs, lineage]) {
      expect(text).not.toContain('shippingCity');
      expect(text).not.toContain('shipping_city');
      expect(text).not.toContain('customer_email');
      expect(text).not.toContain('Order.customerEmail');
      expect(text).not.toContain('customer_id');
    }
    const fields = (JSON.parse(lineage) as OpenLineageDatasetEvent[]).at(-1)!.dataset.facets.columnLineage as unknown as ColumnLineage;
    expect(Object.keys(fields.fields)).not.toContain('PartnerOrderStatus.customerEmailMasked');
    expect(Object.keys(fields.fields)).toContain('PartnerOrderStatus.orderId');
    const status = (parse(odcs) as { schema: Array<{ name: string; properties: Array<Record<string, unknown>> }> }).schema.find((o) => o.name === 'PartnerOrderStatus')!;
    expect(status.properties.find((p) => p.name === 'customerEmailMasked')).toMatchObject({ classification: 'pii', customProperties: [{ property: 'coordinate' }, { property: 'redaction', value: [{ audience: 'PARTNER', strategy: 'MASK', mask: 'EMAIL' }] }] });
    expect(status.properties.find((p) => p.name === 'customerEmailMasked')).not.toHaveProperty('transformSourceObjects');

    // Internal principals see the whole contract, lineage included.
    const internal = renderContractDocument(partnerContract, 'INTERNAL', 'openlineage.json').body;
    expect(internal).toContain('shipping_city');
    expect(internal).toContain('customer_email');
  });
});
