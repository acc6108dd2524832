import { buildSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { collectSelection } from './collectSelection.js';

const schema = buildSchema(/* GraphQL */ `
  type Query { orders(first: Int): [Order!]! }
  type Order { orderId: ID! status: String! total: Money! lines: [Line!]! }
  type Line { sku: String! unitPrice: Money! }
  type Money { amount: String! currency: String! }
`);

const select = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return collectSelection(schema, document, operation, variables);
};
const paths = (query: string, variables?: Record<string, unknown>) => select(query, variables).fields.map((f) => `${f.path} ${f.coordinate}`);

describe('collectSelection: what an executed operation selects', () => {
  it('names each field by its response path (aliases as written, list positions left out), parents first', () => {
    expect(select('{ orders { orderId t: total { amount } lines { unitPrice { amount currency } } } }').fields).toEqual([
      { path: 'orders', coordinate: 'Query.orders', parentPath: null },
      { path: 'orders.orderId', coordinate: 'Order.orderId', parentPath: 'orders' },
      { path: 'orders.t', coordinate: 'Order.total', parentPath: 'orders' },
      { path: 'orders.t.amount', coordinate: 'Money.amount', parentPath: 'orders.t' },
      { path: 'orders.lines', coordinate: 'Order.lines', parentPath: 'orders' },
      { path: 'orders.lines.unitPrice', coordinate: 'Line.unitPrice', parentPath: 'orders.lines' },
      { path: 'orders.lines.unitPrice.amount', coordinate: 'Money.amount', parentPath: 'orders.lines.unitPrice' },
      { path: 'orders.lines.unitPrice.currency', coordinate: 'Money.currency', parentPath: 'orders.lines.unitPrice' },
    ]);
  });

  it('leaves out what @skip(if: true) and @include(if: false) leave out, on fields, inline fragments and fragment spreads', () => {
    expect(select('{ orders { orderId status @skip(if: true) total @include(if: false) { amount } } }').coordinates).toEqual(['Query.orders', 'Order.orderId']);
    expect(select('{ orders { orderId ... @skip(if: true) { status } ... on Order @include(if: false) { total { amount } } } }').coordinates).toEqual(['Query.orders', 'Order.orderId']);
    expect(select('{ orders { orderId ...Legacy @skip(if: true) } } fragment Legacy on Order { status }').coordinates).toEqual(['Query.orders', 'Order.orderId']);
    // Everything under a skipped field is skipped with it.
    expect(select('{ orders { lines @skip(if: true) { unitPrice { amount } } } }').coordinates).toEqual(['Query.orders']);
    // @skip wins over @include, as in execution.
    expect(select('{ orders { status @skip(if: true) @include(if: true) } }').coordinates).toEqual(['Query.orders']);
    expect(select('{ orders { status @skip(if: false) @include(if: true) } }').coordinates).toEqual(['Query.orders', 'Order.status']);
  });

  it('reads the conditions from the variables of each request, their defaults included', () => {
    const query = 'query($legacy: Boolean!, $withTotal: Boolean = true) { orders { status @include(if: $legacy) total @include(if: $withTotal) { amount } } }';
    expect(select(query, { legacy: false }).coordinates).toEqual(['Query.orders', 'Order.total', 'Money.amount']);
    expect(select(query, { legacy: true, withTotal: false }).coordinates).toEqual(['Query.orders', 'Order.status']);
    expect(select(query, { legacy: true }).coordinates).toEqual(['Query.orders', 'Order.status', 'Order.total', 'Money.amount']);
  });

  it('counts a field selected twice once, and included when any of its selections is', () => {
    expect(paths('{ orders { status @skip(if: true) ... on Order { status } } }')).toEqual(['orders Query.orders', 'orders.status Order.status']);
    expect(paths('{ orders { total { amount } total { amount currency } } }')).toEqual(['orders Query.orders', 'orders.total Order.total', 'orders.total.amount Money.amount', 'orders.total.currency Money.currency']);
  });

  it('selects nothing when the variables do not coerce (the operation did not execute)', () => {
    expect(select('query($legacy: Boolean!) { orders { status @include(if: $legacy) } }', { legacy: 'yes' }).fields).toEqual([]);
  });

  it('answers each request by its own variables, though the operation is cached', () => {
    const document = parse('query($s: Boolean!) { orders { orderId status @skip(if: $s) } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const first = { s: true };
    expect(collectSelection(schema, document, operation, first).coordinates).toEqual(['Query.orders', 'Order.orderId']);
    expect(collectSelection(schema, document, operation, { s: false }).coordinates).toEqual(['Query.orders', 'Order.orderId', 'Order.status']);
    expect(collectSelection(schema, document, operation, first)).toBe(collectSelection(schema, document, operation, first));
  });
});
