import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { orderEvent, placed } from '../../../test/support/orderEvents.js';
import { decodeOrderRecord } from './decodeOrderEvent.js';

const record = (key: string | null, value: string | null): LogRecord => ({ topic: 'orders.events.v1', partition: 0, offset: 0, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: {}, timestamp: 0 });
const reasonOf = (key: string | null, value: string | null) => {
  const result = decodeOrderRecord(record(key, value));
  return result.kind === 'rejected' ? `${result.rejection.code}: ${result.rejection.reason}` : result.kind;
};

describe('decoding orders.events.v1', () => {
  it('accepts an event in the producer format', () => {
    const { key, value } = placed('ord-1');
    const result = decodeOrderRecord(record(key, value));
    expect(result.kind).toBe('events');
    expect(result.kind === 'events' && result.events[0]).toMatchObject({ type: 'OrderPlaced', aggregateId: 'ord-1', sequence: 1, data: { channel: 'web' } });
  });

  it('rejects each kind of contract breach with a reason that shows what was received', () => {
    expect(reasonOf('ord-1', null)).toMatch(/^MALFORMED_JSON: tombstone/);
    expect(reasonOf('ord-1', '{"type":')).toMatch(/^MALFORMED_JSON: value is not JSON .*received: "\{\\"type\\":"/);
    expect(reasonOf('ord-1', JSON.stringify({ ...JSON.parse(placed('ord-1').value), sequence: 0 }))).toMatch(/^INVALID_ENVELOPE: .*sequence: /);
    expect(reasonOf('ord-2', placed('ord-1').value)).toBe('KEY_MISMATCH: message key "ord-2" must equal aggregateId "ord-1"');
    expect(reasonOf('ord-1', orderEvent('ord-1', 2, 'OrderTeleported', {}).value)).toMatch(/^UNKNOWN_EVENT_TYPE: unknown event type "OrderTeleported"; orders.events.v1 carries OrderPlaced, /);
    expect(reasonOf('ord-1', orderEvent('ord-1', 2, 'OrderConfirmed', {}, { schemaVersion: 3 }).value)).toBe('UNKNOWN_EVENT_TYPE: OrderConfirmed schemaVersion 3 is not supported (known: 1)');
    expect(reasonOf('ord-1', orderEvent('ord-1', 2, 'OrderCancelled', { reason: 'bored' }).value)).toMatch(/^INVALID_PAYLOAD: OrderCancelled v1 data is invalid: reason: /);
    expect(reasonOf('ord-1', placed('ord-1', []).value)).toMatch(/lines: an order has at least one line/);
    expect(reasonOf('ord-1', placed('ord-1', [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '1.005' }]).value)).toMatch(/money must be a decimal string with up to 2 fractional digits/);
  });
});
