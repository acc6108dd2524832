import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../events/OrderEvent.js';
import { decodeOrderRecord } from '../events/decodeOrderEvent.js';
import { orderEvent, placed } from '../../../test/support/orderEvents.js';
import type { OrderTimelineState } from './orderTimelineProjection.js';
import { evolveOrderTimeline } from './orderTimelineProjection.js';

const decode = (r: { key: string; value: string }) => {
  const result = decodeOrderRecord({ topic: 'orders.events.v1', partition: 0, offset: 0, key: Buffer.from(r.key), value: Buffer.from(r.value), headers: {}, timestamp: 0 });
  if (result.kind !== 'events') throw new Error(JSON.stringify(result));
  return result.events[0] as OrderEvent;
};
/** Given these events, when evolved in order, then this state (or the first rejection). */
const given = (...records: Array<{ key: string; value: string }>) =>
  records.map(decode).reduce<OrderTimelineState | string | undefined>((state, event) => {
    if (typeof state === 'string') return state;
    const next = evolveOrderTimeline(state, event);
    return 'rejection' in next ? next.rejection.reason : next.state;
  }, undefined);

describe('order timeline: evolve', () => {
  it('keeps the total exact in cents through amendments and removals', () => {
    const state = given(
      placed('o', [{ lineId: '1', sku: 'a', quantity: 3, unitPrice: '0.10' }, { lineId: '2', sku: 'b', quantity: 1, unitPrice: '19.99' }]),
      orderEvent('o', 2, 'OrderLineAmended', { lineId: '1', quantity: 7, unitPrice: '0.10' }),
      orderEvent('o', 3, 'OrderLineAmended', { lineId: '2', quantity: 0, unitPrice: '19.99' }),
    ) as OrderTimelineState;
    expect(state.order.orderTotalAmount).toBe('0.70');
    expect(Object.keys(state.lines)).toEqual(['1']);
    expect(state.removedLineIds).toEqual(['2']);
    expect(state.order.lastSequence).toBe(3);
  });

  it('refuses an order whose line amount or total a numeric(14,2) column cannot store, saying which, and keeps the largest that fits', () => {
    expect(given(placed('o', [{ lineId: '1', sku: 'a', quantity: 1000, unitPrice: '999999999999.99' }]))).toMatch(/line 1 amounts to 1000 × 999999999999.99, more than 999999999999.99/);
    expect(given(placed('o', [{ lineId: '1', sku: 'a', quantity: 1, unitPrice: '999999999999.99' }, { lineId: '2', sku: 'b', quantity: 1, unitPrice: '0.01' }]))).toMatch(/order total is more than 999999999999.99/);
    expect(given(placed('o', [{ lineId: '1', sku: 'a', quantity: 1, unitPrice: '1.00' }]), orderEvent('o', 2, 'OrderLineAmended', { lineId: '1', quantity: 2, unitPrice: '999999999999.99' }))).toMatch(/OrderLineAmended #2 .* line 1 amounts to 2 × 999999999999.99/);
    const largest = given(placed('o', [{ lineId: '1', sku: 'a', quantity: 1, unitPrice: '999999999999.98' }, { lineId: '2', sku: 'b', quantity: 1, unitPrice: '0.01' }])) as OrderTimelineState;
    expect(largest.order.orderTotalAmount).toBe('999999999999.99');
  });

  it('records the lifecycle with event times, and keeps confirmation and cancellation apart', () => {
    const state = given(placed('o'), orderEvent('o', 2, 'OrderConfirmed', {}), orderEvent('o', 3, 'OrderCancelled', { reason: 'payment_failed' })) as OrderTimelineState;
    expect(state.order).toMatchObject({ lifecycleState: 'cancelled', confirmedAt: '2026-01-01T12:00:02.000Z', cancelledAt: '2026-01-01T12:00:03.000Z', cancellationReason: 'payment_failed' });
    expect(state.newHistory.map((h) => [h.sequence, h.lifecycleState])).toEqual([[1, 'placed'], [2, 'confirmed'], [3, 'cancelled']]);
  });

  it('stores event times as UTC with milliseconds, whatever offset and precision the producer wrote', () => {
    const at = (occurredAt: string) => (given(orderEvent('o', 1, 'OrderPlaced', JSON.parse(placed('o').value).data, { occurredAt })) as OrderTimelineState).order.placedAt;
    expect(at('2026-03-01T10:00:00+02:00')).toBe('2026-03-01T08:00:00.000Z');
    expect(at('2026-03-01T10:00:00Z')).toBe('2026-03-01T10:00:00.000Z');
    expect(at('2026-03-01T10:00:00.123456Z')).toBe('2026-03-01T10:00:00.123Z');
    expect(at('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    // Already in that form: kept as it is; the same value either way.
    expect(at('2026-12-31T23:59:59.999Z')).toBe('2026-12-31T23:59:59.999Z');
  });

  it('rejects the impossible', () => {
    expect(given(orderEvent('o', 1, 'OrderConfirmed', {}))).toBe('OrderConfirmed #1 for o before its OrderPlaced');
    expect(given(placed('o'), orderEvent('o', 2, 'OrderPlaced', JSON.parse(placed('o').value).data))).toMatch(/^OrderPlaced #2 for o, which was already placed/);
  });
});
