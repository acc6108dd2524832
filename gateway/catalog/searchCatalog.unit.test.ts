import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { Principal } from '../access/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import type { CatalogSearchQuery, SearchFacet } from './searchCatalog.js';
import { searchCatalog } from './searchCatalog.js';
import { visibleContracts } from './visibleContracts.js';

const partner: Principal = { id: 'prn_partner', name: 'partner', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: [], rowScope: { salesChannel: ['MARKETPLACE'] }, credential: { kind: 'apiKey', prefix: 'test' } };
let contracts: CompiledContract[];
beforeAll(async () => {
  contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
});
const search = (query: Partial<CatalogSearchQuery>, over: readonly CompiledContract[] = contracts) => searchCatalog(over, { text: '', filters: {}, first: 10_000, ...query });
const hitKeys = (result: ReturnType<typeof search>) => result.hits.map((h) => `${h.contract.meta.name}/v${h.contract.meta.version}${h.field ? `:${h.field.coordinate}` : ''}`);
const allFields = () => contracts.flatMap((c) => [...c.fields.values()].map((f) => ({ contract: c, field: f })));

describe('searchCatalog', () => {
  it('finds fields by coordinate and description, every word required, contracts first', () => {
    const result = search({ text: 'EMAIL' });
    expect(result.fields).toBeGreaterThan(0);
    for (const hit of result.hits) if (hit.field) expect(`${hit.field.coordinate} ${hit.field.description} ${hit.contract.meta.name}`.toLowerCase()).toContain('email');
    expect(hitKeys(result)).toContain('partner_order_status/v1:PartnerOrderStatus.customerEmailMasked');
    expect(hitKeys(search({ text: 'customerEmailMasked' }))).toEqual(['partner_order_status/v1:PartnerOrderStatus.customerEmailMasked']);
    expect(search({ text: 'email zzz' }).total).toBe(0);
    const kinds = result.hits.map((h) => (h.field ? 'field' : 'contract'));
    expect(kinds.indexOf('field')).toBeGreaterThan(kinds.lastIndexOf('contract'));
  });

  it('finds contracts by owner and fields by the topics and source systems behind them', () => {
    const byOwner = search({ text: 'finance-controlling' });
    expect(byOwner.hits.filter((h) => !h.field).map((h) => h.contract.meta.name)).toEqual(['finance_recognized_sale', 'reconciliation_exceptions']);
    expect(byOwner.hits.find((h) => h.contract.meta.name === 'finance_recognized_sale' && !h.field)!.matchedOn).toContain('owner');
    const byTopic = search({ text: 'legacy.oms.cdc' });
    const fed = allFields().filter(({ field }) => field.lineage.some((l) => l.topics.some((t) => t.topic === 'legacy.oms.cdc')));
    expect(byTopic.fields).toBe(fed.length);
    expect(byTopic.hits.every((h) => h.matchedOn.includes('topic'))).toBe(true);
    expect(search({ text: 'wms-leeds' }).hits.every((h) => h.matchedOn.includes('source system'))).toBe(true);
  });

  it('narrows by facets: one of the values within a facet, every facet across them', () => {
    const pii = search({ filters: { PII: ['yes'] } });
    expect(pii.fields).toBe(allFields().filter(({ field }) => field.classification === 'PII').length);
    const piiPartner = search({ filters: { PII: ['yes'], AUDIENCE: ['PARTNER'] } });
    expect(piiPartner.hits.map((h) => h.contract.meta.name)).toEqual(Array(piiPartner.total).fill('partner_order_status'));
    const twoOwners = search({ filters: { OWNER: ['finance-controlling', 'customer-operations'] } });
    expect(new Set(twoOwners.hits.map((h) => h.contract.meta.owner))).toEqual(new Set(['finance-controlling', 'customer-operations']));
    const deprecated = search({ filters: { DEPRECATED: ['yes'] } });
    expect(hitKeys(deprecated)).toEqual(['customer_order_timeline/v1', 'customer_order_timeline/v1:CustomerOrderTimeline.orderStatus', 'customer_order_timeline/v1:CustomerOrderTimeline.orderTotalAsFloat']);
  });

  it("counts each facet's values as choosing them would give (its own filter left out)", () => {
    const filters: Partial<Record<SearchFacet, string[]>> = { OWNER: ['finance-controlling'], CLASSIFICATION: ['PUBLIC'] };
    const result = search({ filters });
    const counts = (facet: SearchFacet) => Object.fromEntries(result.facets.find((f) => f.facet === facet)!.values.map((v) => [v.value, v.count]));
    for (const [owner, count] of Object.entries(counts('OWNER'))) expect(count, owner).toBe(search({ filters: { ...filters, OWNER: [owner] } }).total);
    for (const [level, count] of Object.entries(counts('CLASSIFICATION'))) expect(count, level).toBe(search({ filters: { ...filters, CLASSIFICATION: [level] } }).total);
    expect(result.facets.find((f) => f.facet === 'OWNER')!.values.filter((v) => v.selected).map((v) => v.value)).toEqual(['finance-controlling']);
  });

  it('searches only what a partner may see, as it sees it', () => {
    const visible = visibleContracts(partner, contracts);
    const all = search({}, visible);
    expect(new Set(all.hits.map((h) => h.contract.meta.name))).toEqual(new Set(['partner_order_status']));
    expect(hitKeys(search({ text: 'shippingCity' }, visible))).toEqual([]);
    expect(search({ text: 'shippingCity' }).total).toBeGreaterThan(0);
    expect(all.facets.find((f) => f.facet === 'OWNER')!.values.map((v) => v.value)).toEqual(['orders-domain-team']);
  });

  it('returns the first hits and counts them all', () => {
    const result = search({ first: 3 });
    expect(result.hits).toHaveLength(3);
    expect(result.total).toBe(contracts.length + allFields().length);
  });
});
