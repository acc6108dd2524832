import type { OperationDefinitionNode } from 'graphql';
import { Kind, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RowReadRequest, SubgraphVersion } from '../../platform/subgraph/index.js';
import { contexts } from '../../subgraphs/index.js';
import type { CompiledContract } from './ContractModel.js';
import { loadContracts } from './loadContracts.js';
import { planContractRead } from './planContractRead.js';

describe('planContractRead: a contract selection onto its context planner', () => {
  const requests: RowReadRequest[] = [];
  // The registered subgraphs, their planners recording what the gateway asks of them.
  const subgraphs: SubgraphVersion[] = contexts.flatMap((c) => c.subgraphs).map((s) => {
    const planner = s.rowReads;
    return planner ? { ...s, rowReads: { rootFields: planner.rootFields, plan: (request: RowReadRequest) => (requests.push(request), planner.plan(request)) } } : s;
  });
  let contracts: Map<string, CompiledContract>;
  beforeAll(async () => {
    contracts = new Map((await loadContracts(new URL('../../contracts', import.meta.url).pathname, subgraphs)).map((c) => [`${c.meta.name}/v${c.meta.version}`, c]));
  });
  const plan = (contract: string, query: string, variables: Record<string, unknown> = {}, audience: 'INTERNAL' | 'PARTNER' = 'INTERNAL') => {
    requests.length = 0;
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return planContractRead(contracts.get(contract)!, audience, subgraphs, document, operation, variables);
  };

  it('keys the JSON by response keys: aliases, fragments, inline fragments and merged fields', () => {
    const result = plan(
      'customer_order_timeline/v2',
      'query { page: recentCustomerOrders(first: 2) { id: orderId ...F ... on CustomerOrderTimeline { orderTotal { currency } } } } fragment F on CustomerOrderTimeline { orderTotal { amount } lines: orderLines { sku } }',
    );
    expect('roots' in result && result.roots.map((r) => r.key)).toEqual(['page']);
    expect(requests).toEqual([
      {
        rootField: 'Query.orders',
        fields: [
          { key: 'id', field: 'orderId' },
          { key: 'orderTotal', field: 'orderTotal', children: [{ key: 'amount', field: 'amount' }, { key: 'currency', field: 'currency' }] },
          { key: 'lines', field: 'lines', children: [{ key: 'sku', field: 'sku' }] },
        ],
      },
    ]);
  });

  it('applies @skip and @include with the request variables', () => {
    const query = 'query($a: Boolean!) { recentCustomerOrders { orderId orderLines @include(if: $a) { sku } lifecycleHistory @skip(if: $a) { sequence } } }';
    plan('customer_order_timeline/v2', query, { a: true });
    expect(requests[0]!.fields.map((f) => f.key)).toEqual(['orderId', 'orderLines']);
    plan('customer_order_timeline/v2', query, { a: false });
    expect(requests[0]!.fields.map((f) => f.key)).toEqual(['orderId', 'lifecycleHistory']);
  });

  it('names another version of the same context on fields a contract serves from it', () => {
    plan('customer_order_timeline/v1', '{ recentCustomerOrders { orderStatus orderTotalAsFloat } }');
    expect(requests[0]!.fields).toEqual([
      { key: 'orderStatus', field: 'status', subgraph: 'orders/v1' },
      { key: 'orderTotalAsFloat', field: 'total', subgraph: 'orders/v1' },
    ]);
  });

  it('plans redacted fields as their plain values and says where to redact them', () => {
    const result = plan('partner_order_status/v1', '{ partnerOrders { orderId token: customerToken customerEmailMasked } }', {}, 'PARTNER');
    expect('roots' in result && result.roots[0]!.redactions.map((r) => [r.path, r.rule.strategy])).toEqual([
      [['token'], 'TOKENIZE'],
      [['customerEmailMasked'], 'MASK'],
    ]);
  });

  it('plans __typename and a derived field of the own record as placeholders filled in by JavaScript, fetching the sources', () => {
    const result = plan('customer_order_timeline/v1', '{ recentCustomerOrders { __typename minutes: minutesToCommitment orderId } }');
    expect(requests[0]!.fields).toEqual([
      { key: '__typename', field: 'orderId' },
      { key: 'minutes', field: 'orderId' },
      { key: '\u0000minutes\u00000', field: 'placedAt' },
      { key: '\u0000minutes\u00001', field: 'confirmedAt' },
      { key: 'orderId', field: 'orderId' },
    ]);
    expect('roots' in result && result.roots[0]!.computed.map((c) => [c.kind, c.key, c.kind === 'derived' ? c.sources.map((s) => s.field) : c.typename])).toEqual([
      ['typename', '__typename', 'CustomerOrderTimeline'],
      ['derived', 'minutes', ['placedAt', 'confirmedAt']],
    ]);
  });

  it('leaves to resolvers what needs JavaScript beyond its own record: other contexts, other records, cursors, mutations', () => {
    const reasons = [
      plan('order_journey/v1', '{ orderJourneys(first: 2) { orderId payments { paymentId } } }'),
      plan('order_journey/v1', '{ orderJourneys(first: 2) { orderId journeyStage } }'),
      plan('customer_order_timeline/v2', '{ __typename recentCustomerOrders { orderId } }'),
      plan('partner_order_status/v1', '{ changes { endCursor } }', {}, 'PARTNER'),
      plan('customer_order_timeline/v2', 'mutation { recentCustomerOrders { orderId } }'),
    ].map((r) => ('unplannable' in r ? r.unplannable : 'planned'));
    expect(reasons).toEqual([
      'OrderJourney.payments reads payments/v1 OrderPayments.payments, another record',
      'OrderJourney.journeyStage is derived from orders/v2:Order.lines, not a plain field of its own record',
      'Query.__typename is not served from one subgraph field',
      'orders/v2 Query.orderChanges has no SQL plan',
      'a mutation is not a read',
    ]);
  });
});
