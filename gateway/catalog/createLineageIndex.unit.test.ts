import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { Principal } from '../access/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import type { LineageGraph } from './createLineageIndex.js';
import { contractFieldNodeId, createLineageIndex } from './createLineageIndex.js';
import { visibleContracts } from './visibleContracts.js';

const partner: Principal = { id: 'prn_partner', name: 'partner', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: [], rowScope: { salesChannel: ['MARKETPLACE'] }, credential: { kind: 'apiKey', prefix: 'test' } };
let contracts: CompiledContract[];
beforeAll(async () => {
  contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
});

const ids = (graph: LineageGraph | null, kind?: string) => (graph?.nodes ?? []).filter((n) => !kind || n.kind === kind).map((n) => n.id);

/** Every contract field whose lineage links name `column` (`projection/table.column`): what "and back" must find. */
function fieldsReading(all: readonly CompiledContract[], column: string): string[] {
  return all.flatMap((c) => [...c.fields.values()].filter((f) => f.lineage.some((l) => l.columns.some((col) => `${l.projection}/${col}` === column))).map((f) => contractFieldNodeId(c.meta, f.coordinate))).sort();
}

describe('createLineageIndex', () => {
  it("draws a field's path from its source systems, through topics, event fields, columns and the subgraph field, to the field", () => {
    const graph = createLineageIndex(contracts).forField({ name: 'customer_order_timeline', version: 2 }, 'CustomerOrderTimeline.customerEmail')!;
    expect(ids(graph, 'TOPIC').sort()).toEqual(['topic:legacy.oms.cdc', 'topic:orders.events.v1']);
    expect(ids(graph, 'SOURCE_SYSTEM')).toContain('source:web-checkout');
    expect(ids(graph, 'EVENT').sort()).toEqual(['event:legacy.oms.cdc/OrderPlaced.data.customerEmail', 'event:orders.events.v1/OrderPlaced.data.customerEmail']);
    expect(ids(graph, 'PROJECTION_COLUMN')).toEqual(['column:order_timeline/orders.customer_email']);
    expect(ids(graph, 'SUBGRAPH_FIELD')).toEqual(['subgraph:orders/v2:Order.customerEmail']);
    // Downstream of the column: every contract field it feeds, in every contract (the partner's masked copy too).
    expect(ids(graph, 'CONTRACT_FIELD').sort()).toEqual(fieldsReading(contracts, 'order_timeline/orders.customer_email'));
    expect(ids(graph, 'CONTRACT_FIELD')).toContain('contract:partner_order_status/v1:PartnerOrderStatus.customerEmailMasked');
    const edges = new Set(graph.edges.map((e) => `${e.from} > ${e.to}`));
    for (const edge of ['source:web-checkout > topic:orders.events.v1', 'topic:orders.events.v1 > event:orders.events.v1/OrderPlaced.data.customerEmail', 'event:orders.events.v1/OrderPlaced.data.customerEmail > column:order_timeline/orders.customer_email', 'column:order_timeline/orders.customer_email > subgraph:orders/v2:Order.customerEmail', 'subgraph:orders/v2:Order.customerEmail > contract:customer_order_timeline/v2:CustomerOrderTimeline.customerEmail']) {
      expect(edges, edge).toContain(edge);
    }
  });

  it('has only edges between its nodes, and every node but the sources is reached by one', () => {
    const index = createLineageIndex(contracts);
    for (const contract of contracts) {
      for (const coordinate of contract.fields.keys()) {
        const graph = index.forField(contract.meta, coordinate)!;
        const nodes = new Set(ids(graph));
        for (const edge of graph.edges) expect(nodes.has(edge.from) && nodes.has(edge.to), `${edge.from} > ${edge.to}`).toBe(true);
        const reached = new Set(graph.edges.map((e) => e.to));
        for (const node of graph.nodes) if (node.kind !== 'SOURCE_SYSTEM' && node.kind !== 'TOPIC' && contract.fields.get(coordinate)!.lineage.length > 0) expect(reached.has(node.id) || node.kind === 'EVENT', node.id).toBe(true);
      }
    }
  });

  it('and back: from any column, every contract field whose lineage reads it, and nothing else', () => {
    const index = createLineageIndex(contracts);
    const columns = new Set(contracts.flatMap((c) => [...c.fields.values()].flatMap((f) => f.lineage.flatMap((l) => l.columns.map((col) => `${l.projection}/${col}`)))));
    expect(columns.size).toBeGreaterThan(20);
    for (const column of columns) expect(ids(index.impactOf(`column:${column}`), 'CONTRACT_FIELD').sort(), column).toEqual(fieldsReading(contracts, column));
    expect(index.impactOf('column:nowhere/no.column')).toBeNull();
  });

  it('from a topic, reaches every field whose links read it, through the columns those fill', () => {
    const impact = createLineageIndex(contracts).impactOf('topic:legacy.oms.cdc')!;
    const reached = new Set(ids(impact, 'CONTRACT_FIELD'));
    const columns = new Set(ids(impact, 'PROJECTION_COLUMN'));
    const direct = contracts.flatMap((c) => [...c.fields.values()].filter((f) => f.lineage.some((l) => l.columns.length > 0 && l.topics.some((t) => t.topic === 'legacy.oms.cdc' && l.events.some((e) => t.events.includes(e.split('.')[0]!))))).map((f) => contractFieldNodeId(c.meta, f.coordinate)));
    expect(direct.length).toBeGreaterThan(10);
    for (const field of direct) expect(reached, field).toContain(field);
    // A column is one node whichever link names it: a field reading a column the topic fills is affected too.
    for (const contract of contracts) {
      for (const field of contract.fields.values()) {
        const readsReachedColumn = field.lineage.some((l) => l.columns.some((col) => columns.has(`column:${l.projection}/${col}`)));
        expect(reached.has(contractFieldNodeId(contract.meta, field.coordinate)), field.coordinate).toBe(readsReachedColumn);
      }
    }
  });

  it("shows a partner no lineage of a field redacted for it, and nothing of the contracts it may not see", () => {
    const index = createLineageIndex(visibleContracts(partner, contracts));
    const redacted = index.forField({ name: 'partner_order_status', version: 1 }, 'PartnerOrderStatus.customerEmailMasked')!;
    expect(redacted).toEqual({ nodes: [expect.objectContaining({ id: 'contract:partner_order_status/v1:PartnerOrderStatus.customerEmailMasked' })], edges: [] });
    // The column behind the masked email feeds no field the partner sees with lineage: it does not exist for the partner.
    expect(index.impactOf('column:order_timeline/orders.customer_email')).toBeNull();
    const open = index.forField({ name: 'partner_order_status', version: 1 }, 'PartnerOrderStatus.orderId')!;
    expect(open.edges.length).toBeGreaterThan(0);
    expect(open.nodes.filter((n) => n.kind === 'CONTRACT_FIELD').every((n) => n.contract?.name === 'partner_order_status')).toBe(true);
    expect(index.forField({ name: 'customer_order_timeline', version: 2 }, 'CustomerOrderTimeline.orderId')).toBeNull();
  });
});
