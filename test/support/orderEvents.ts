import type { OrderEvent } from '../../subgraphs/orders/index.js';

let counter = 0;
/** Hand-written domain events for Given/When/Then specs, in the producer's JSON format. */
export function orderEvent(aggregateId: string, sequence: number, type: OrderEvent['type'] | 'OrderTeleported', data: object, overrides: Partial<Record<string, unknown>> = {}): { key: string; value: string } {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString();
  return {
    key: aggregateId,
    value: JSON.stringify({ eventId: `evt-${aggregateId}-${sequence}-${++counter}`, type, schemaVersion: 1, aggregateId, sequence, occurredAt: at, producedAt: at, correlationId: `journey-${aggregateId}`, causationId: null, source: 'web-checkout', data, ...overrides }),
  };
}

export const placed = (id: string, lines = [{ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }]) =>
  orderEvent(id, 1, 'OrderPlaced', { customerId: 'cus-1', channel: 'web', currency: 'EUR', lines, customerEmail: 'a@example.com', shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' } });
