import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import { collectSelection } from './collectSelection.js';
import { lineageAtPath } from './narrowLineage.js';

let contracts: CompiledContract[];
const contract = (name: string, version: number) => contracts.find((c) => c.meta.name === name && c.meta.version === version)!;

/** The path lineage of the repository's contract for one query: path → "field ← columns via parents". */
function lineageOf(c: CompiledContract, query: string): Record<string, string[]> {
  const document = parse(query);
  const selection = collectSelection(c.schema, document, document.definitions[0] as OperationDefinitionNode, {});
  return Object.fromEntries([...lineageAtPath(c, selection)].map(([path, entries]) => [path, entries.flatMap(({ field, links }) => links.map((l) => `${field} ← ${l.columns.join(', ')}${l.via.length ? ` via ${l.via.join(', ')}` : ''}`))]));
}

describe('lineage per response path', () => {
  beforeAll(async () => {
    contracts = await loadContracts(new URL('../../contracts', import.meta.url).pathname, contexts.flatMap((c) => c.subgraphs));
  });

  it('narrows Money.amount to the column its parent field is fed from: the order total, a line’s unit price, its amount', () => {
    const lineage = lineageOf(contract('customer_order_timeline', 2), '{ recentCustomerOrders { orderTotal { amount currency } orderLines { unitPrice { amount currency } lineAmount { amount } } } }');
    expect(lineage['recentCustomerOrders.orderTotal.amount']).toEqual(['Money.amount ← orders.order_total_amount via orders/v2:Order.orderTotal']);
    expect(lineage['recentCustomerOrders.orderLines.unitPrice.amount']).toEqual(['Money.amount ← order_lines.unit_price via orders/v2:OrderLine.unitPrice']);
    expect(lineage['recentCustomerOrders.orderLines.lineAmount.amount']).toEqual(['Money.amount ← order_lines.line_amount via orders/v2:OrderLine.lineAmount']);
    // Currency has one column wherever Money is used (a line's currency is the order's): nothing to narrow.
    expect(lineage['recentCustomerOrders.orderTotal.currency']).toEqual(['Money.currency ← orders.currency']);
    expect(lineage['recentCustomerOrders.orderLines.unitPrice.currency']).toEqual(['Money.currency ← orders.currency']);
    // The contract field itself still declares the union: wherever Money is used.
    expect(contract('customer_order_timeline', 2).fields.get('Money.amount')!.lineage[0]!.columns).toEqual(['orders.order_total_amount', 'order_lines.unit_price', 'order_lines.line_amount']);
  });

  it('narrows events and topics with the columns: the unit price is not set by quantity changes, the total is', () => {
    const c = contract('customer_order_timeline', 2);
    const document = parse('{ recentCustomerOrders { orderTotal { amount } orderLines { unitPrice { amount } } } }');
    const byPath = lineageAtPath(c, collectSelection(c.schema, document, document.definitions[0] as OperationDefinitionNode, {}));
    const events = (path: string) => byPath.get(path)![0]!.links[0]!.events;
    expect(events('recentCustomerOrders.orderLines.unitPrice.amount')).toEqual(['OrderPlaced.data.lines.unitPrice', 'OrderLineAmended.data.unitPrice']);
    expect(events('recentCustomerOrders.orderTotal.amount')).toEqual(['OrderPlaced.data.lines.unitPrice', 'OrderPlaced.data.lines.quantity', 'OrderLineAmended.data.unitPrice', 'OrderLineAmended.data.quantity']);
    expect(byPath.get('recentCustomerOrders.orderTotal.amount')![0]!.links[0]!.topics.map((t) => t.topic).sort()).toEqual(['legacy.oms.cdc', 'orders.events.v1']);
  });

  it('keeps a field’s own lineage where it is not fed through its parent’s value: rows of a list, a record joined by key', () => {
    const lineage = lineageOf(contract('order_journey', 1), '{ orderJourneys { orderId orderLines { sku } payments { paymentId capturedAmount { amount currency } refundedAmount { amount } } } }');
    expect(lineage['orderJourneys.orderLines.sku']).toEqual(['JourneyOrderLine.sku ← order_lines.sku']);
    expect(lineage['orderJourneys.payments.paymentId']).toEqual(['JourneyPayment.paymentId ← payments.payment_id']);
    // Another context's shared Money narrows the same way through its own parents.
    expect(lineage['orderJourneys.payments.capturedAmount.amount']).toEqual(['PaymentMoney.amount ← payments.captured_amount via payments/v1:Payment.capturedAmount']);
    expect(lineage['orderJourneys.payments.refundedAmount.amount']).toEqual(['PaymentMoney.amount ← payments.refunded_amount via payments/v1:Payment.refundedAmount']);
    expect(lineage['orderJourneys.payments.capturedAmount.currency']).toEqual(['PaymentMoney.currency ← payments.currency']);
  });

  it('gives aliases their own paths, each with the lineage of what it selects', () => {
    const lineage = lineageOf(contract('customer_order_timeline', 2), '{ recentCustomerOrders { total: orderTotal { amount } lines: orderLines { price: unitPrice { amount } } } }');
    expect(lineage['recentCustomerOrders.total.amount']).toEqual(['Money.amount ← orders.order_total_amount via orders/v2:Order.orderTotal']);
    expect(lineage['recentCustomerOrders.lines.price.amount']).toEqual(['Money.amount ← order_lines.unit_price via orders/v2:OrderLine.unitPrice']);
  });
});
