import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { paymentsV1Subgraph } from './index.js';

describe('payments/v1 batch lookups', () => {
  it('refuse an oversized batch before any statement is sent', async () => {
    const ids = Array.from({ length: 60_000 }, (_, i) => `pay-${i}`);
    // No database behind the loaders: the refusal must come first.
    const result = await graphql({ schema: paymentsV1Subgraph.schema, source: 'query($ids: [ID!]!) { paymentsByIds(paymentIds: $ids) { paymentId } }', variableValues: { ids }, contextValue: {} });
    expect(result.errors?.[0]?.message).toBe('paymentsByIds(paymentIds) takes at most 1000 ids per request, received 60000; split the batch.');
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuse an oversized batch by order id too', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `ord-${i}`);
    const result = await graphql({ schema: paymentsV1Subgraph.schema, source: 'query($ids: [ID!]!) { paymentsByOrderIds(orderIds: $ids) { orderId } }', variableValues: { ids }, contextValue: {} });
    expect(result.errors?.[0]?.message).toBe('paymentsByOrderIds(orderIds) takes at most 1000 ids per request, received 1001; split the batch.');
  });
});
