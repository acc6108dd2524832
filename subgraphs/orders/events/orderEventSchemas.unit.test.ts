import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { orderEvent, placed } from '../../../test/support/orderEvents.js';
import { expectSoundFastPath, multiMutations, singleMutations } from '../../../test/support/fastPathSoundness.js';
import { acceptOrderEvent, explainOrderEvent } from './decodeOrderEvent.js';
import { orderEventDataAcceptors, orderEventDataSchemas } from './orderEventSchemas.js';

const lines = [
  { lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: '10.00' },
  { lineId: '2', sku: 'SKU-2', quantity: 1, unitPrice: '-0.5' },
];
const validData = {
  OrderPlaced: [
    { customerId: 'cus-1', channel: 'web', currency: 'EUR', lines, customerEmail: 'a@example.com', shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' } },
    { customerId: 'c', channel: 'marketplace', currency: 'USD', lines: [lines[0]], customerEmail: 'a@b', shippingAddress: { line1: 'l', city: 'c', postalCode: 'p', country: 'US' } },
  ],
  OrderLineAmended: [{ lineId: '1', quantity: 0, unitPrice: '12.30' }, { lineId: 'x', quantity: 7, unitPrice: '999999999999.99' }],
  OrderConfirmed: [{}],
  OrderCancelled: [{ reason: 'fraud' }, { reason: 'payment_failed' }],
} as const;

const recordOf = (key: string | null, value: unknown): LogRecord => ({ topic: 'orders.events.v1', partition: 0, offset: 0, key: key === null ? null : Buffer.from(key), value: Buffer.from(JSON.stringify(value)), headers: {}, timestamp: 0 });

describe('the orders.events.v1 fast path', () => {
  for (const type of Object.keys(validData) as Array<keyof typeof validData>) {
    it(`accepts only ${type} v1 data that its schema accepts, unchanged by the schema`, () => {
      const accepts = orderEventDataAcceptors[type][1];
      const schema = orderEventDataSchemas[type][1];
      const valid = validData[type];
      const counts = expectSoundFastPath({ fast: (data) => (accepts(data) ? data : null), zod: (data) => schema.safeParse(data) }, valid, [...valid.flatMap(singleMutations), ...multiMutations(valid[0], 2000)]);
      expect(counts.accepted).toBeGreaterThan(valid.length);
    });
  }

  it('decides whole records as the zod path does: envelope, key, type and version dispatch, data', () => {
    const values = [placed('ord-1'), orderEvent('ord-1', 2, 'OrderLineAmended', validData.OrderLineAmended[0]), orderEvent('ord-1', 3, 'OrderConfirmed', {}), orderEvent('ord-1', 4, 'OrderCancelled', { reason: 'fraud' })].map((e) => JSON.parse(e.value) as Record<string, unknown>);
    for (const key of ['ord-1', 'ord-2', null]) {
      const counts = expectSoundFastPath(
        {
          fast: (value) => acceptOrderEvent(recordOf(key, value), value),
          zod: (value) => {
            const result = explainOrderEvent(recordOf(key, value), value);
            return result.kind === 'events' ? { success: true, data: result } : { success: false };
          },
        },
        key === 'ord-1' ? values : [],
        [...values.flatMap(singleMutations), ...values.map((v) => ({ ...v, schemaVersion: 2 })), ...values.map((v) => ({ ...v, type: 'OrderTeleported' })), ...values.map((v) => ({ ...v, type: 'constructor' }))],
      );
      if (key !== 'ord-1') expect(counts.accepted).toBe(0);
    }
  });
});
