import { centsToMoney } from '../../../platform/events/index.js';
import type { Prng } from '../../../platform/simulator/index.js';
import type { OrderHistory, OrderStep } from './OrderHistory.js';

const CITIES = [
  { city: 'Berlin', country: 'DE', currency: 'EUR' },
  { city: 'Lyon', country: 'FR', currency: 'EUR' },
  { city: 'Leeds', country: 'GB', currency: 'GBP' },
  { city: 'Austin', country: 'US', currency: 'USD' },
  { city: 'Utrecht', country: 'NL', currency: 'EUR' },
];
const SKUS = ['SKU-KETTLE-01', 'SKU-MUG-02', 'SKU-TEA-03', 'SKU-FILTER-04', 'SKU-SCALE-05', 'SKU-GRINDER-06', 'SKU-BEANS-07'];
const REASONS = ['customer_request', 'fraud', 'out_of_stock', 'payment_failed'] as const;

/** One realistic order journey: placed, maybe amended, maybe held, confirmed or cancelled, maybe released. */
export function generateOrderHistory(prng: Prng, orderNumber: number, placedAt: number, stepIntervalMs: number): OrderHistory {
  const place = prng.pick(CITIES);
  const lineCount = prng.int(1, 4);
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    lineId: String(i + 1),
    sku: prng.pick(SKUS),
    quantity: prng.int(1, 5),
    unitPrice: centsToMoney(prng.int(199, 24999)),
  }));
  const customer = prng.int(1, 5000);
  const steps: OrderStep[] = [];
  let at = placedAt;
  const later = () => (at += prng.int(Math.ceil(stepIntervalMs / 2), stepIntervalMs * 2));
  const current = new Map(lines.map((l) => [l.lineId, l.quantity]));

  if (prng.chance(0.3)) {
    const target = prng.pick(lines);
    const remove = lineCount > 1 && prng.chance(0.3);
    steps.push({ kind: 'amend', at: later(), lineId: target.lineId, quantity: remove ? 0 : prng.int(1, 6), unitPrice: target.unitPrice });
    if (remove) current.delete(target.lineId);
  }
  if (prng.chance(0.08)) steps.push({ kind: 'hold', at: later() });
  const outcome = prng.next();
  if (outcome < 0.1) steps.push({ kind: 'cancel', at: later(), reason: prng.pick(REASONS) });
  else if (outcome < 0.85) {
    steps.push({ kind: 'confirm', at: later() });
    if (prng.chance(0.5)) steps.push({ kind: 'release', at: later() });
    if (prng.chance(0.05)) steps.push({ kind: 'cancel', at: later(), reason: 'customer_request' });
  }
  return {
    orderId: `ord-${String(orderNumber).padStart(6, '0')}`,
    customerId: `cus-${String(customer).padStart(5, '0')}`,
    channel: prng.pick(['web', 'web', 'store', 'marketplace'] as const),
    currency: place.currency,
    customerEmail: `customer${customer}@example.com`,
    shippingAddress: { line1: `${prng.int(1, 200)} Market Street`, city: place.city, postalCode: String(prng.int(10000, 99999)), country: place.country },
    lines,
    placedAt,
    steps,
  };
}
