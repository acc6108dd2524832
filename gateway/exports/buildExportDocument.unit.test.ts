import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildExportDocument } from './buildExportDocument.js';

const FEED = /* GraphQL */ `
  scalar Cursor
  type Query { changes(since: Cursor, first: Int! = 100): Page! other(id: ID!): Row }
  type Page { nodes: [Row!]! endCursor: Cursor hasMore: Boolean! }
`;

describe('buildExportDocument', () => {
  it('selects every field of the row type, nested objects included, as the view has them', () => {
    const schema = buildSchema(/* GraphQL */ `${FEED}
      enum State { A B }
      type Money { amount: String! currency: String! }
      type Line { sku: String! quantity: Int! }
      type Row { id: ID! state: State! total: Money! lines: [Line!]! note(locale: String = "en"): String history(limit: Int!): [Line!]! }`);
    const built = buildExportDocument(schema);
    if ('problem' in built) throw new Error(built.problem);
    expect(built.document).toBe(
      'query Export($since: Cursor, $first: Int!) { changes(since: $since, first: $first) { nodes { id state total { amount currency } lines { sku quantity } note } endCursor hasMore } }',
    );
    expect(built.pageEndDocument).toBe('query ExportPageEnd($since: Cursor, $first: Int!) { changes(since: $since, first: $first) { endCursor hasMore } }');
    expect(built.nodeType).toBe('Row');
    // `history` needs an argument without default: not selectable, not exported, not in the policy.
    expect(built.fields).toEqual(['Row.id', 'Row.state', 'Row.total', 'Money.amount', 'Money.currency', 'Row.lines', 'Line.sku', 'Line.quantity', 'Row.note']);
    expect(validate(schema, parse(built.document))).toEqual([]);
    expect(validate(schema, parse(built.pageEndDocument))).toEqual([]);
  });

  it('does not enter a type already on its path, so a cycle cannot recurse', () => {
    const schema = buildSchema(/* GraphQL */ `${FEED}
      type Row { id: ID! parent: Row customer: Customer! }
      type Customer { token: ID! lastOrder: Row }`);
    const built = buildExportDocument(schema);
    if ('problem' in built) throw new Error(built.problem);
    expect(built.document).toContain('nodes { id customer { token } }');
    expect(validate(schema, parse(built.document))).toEqual([]);
  });

  it('says why a contract without a change feed, or with one of another shape, cannot be exported', () => {
    expect(buildExportDocument(buildSchema('type Query { orders: [String!]! }'))).toEqual({ problem: expect.stringMatching(/^has no change feed: exports page through a root field `changes\(since: Cursor, first: Int!\)`/) });
    const noSince = buildExportDocument(buildSchema(/* GraphQL */ `type Query { changes(first: Int!): Page! } type Page { nodes: [Row!]! endCursor: String hasMore: Boolean! } type Row { id: ID! }`));
    expect(noSince).toEqual({ problem: expect.stringContaining('has a `changes` field of another shape (changes(first: Int!): Page!)') });
    const notAList = buildExportDocument(buildSchema(/* GraphQL */ `type Query { changes(since: String, first: Int!): Page! } type Page { nodes: Row endCursor: String hasMore: Boolean! } type Row { id: ID! }`));
    expect(notAList).toHaveProperty('problem');
  });
});
