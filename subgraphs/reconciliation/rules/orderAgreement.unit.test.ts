import { describe, expect, it } from 'vitest';
import { at, line, reconciliationFacts } from '../testing/reconciliationFacts.js';
import { agreementOf } from './orderAgreement.js';

const ORDER = 'ord-000123';

/** GBP 2 × line 1 at 10.00 and 1 × line 2 at 5.00, line 2 amended to 3 at 5.50 (36.50); paid in part; shipped in three. */
function story() {
  const history = reconciliationFacts();
  const order = history.order(ORDER, { currency: 'GBP' });
  const placed = order.placed(at(0), [line('1', 2, '10.00', 'SKU-KETTLE'), line('2', 1, '5.00', 'SKU-MUG')]);
  order.amended(at(1), '2', 3, '5.50');
  order.confirmed(at(2));
  const card = history.payment('pay-000123-1', order);
  card.authorized(at(2), '36.50');
  card.captured(at(4), '20.00');
  card.refunded(at(50), '5.00', 'goodwill');
  const giftCard = history.payment('pay-000123-2', order, { method: 'gift_card' });
  giftCard.authorized(at(2), '10.00');
  giftCard.voided(at(3));
  history.payment('pay-000123-3', order).declined(at(1), '36.50');
  const first = history.shipment('shp-000123-1', order);
  first.created(at(3), { 1: 2, 2: 1 });
  first.picked(at(3.5));
  first.dispatched(at(4));
  first.delivered(at(30));
  const second = history.shipment('shp-000123-2', order);
  second.created(at(3), { 2: 2 });
  second.picked(at(5));
  const stray = history.shipment('shp-000123-3', order, { warehouseId: 'wh-leeds' });
  stray.created(at(3), { 9: 1 });
  stray.picked(at(4));
  stray.dispatched(at(5));
  return { history, order, placed };
}

describe('agreementOf', () => {
  it('states what each context says of the order, in cents of its currency: ordered, authorized, captured, refunded, shipped and delivered', () => {
    const { history, placed } = story();
    expect(agreementOf(ORDER, history.facts())).toEqual({
      orderId: ORDER,
      placedAt: placed.event.occurredAt,
      currency: 'GBP',
      confirmed: true,
      cancelled: false,
      orderedCents: 2 * 1000 + 3 * 550,
      // The voided authorization was granted; the declined attempt never was.
      authorizedCents: 3650 + 1000,
      capturedCents: 2000,
      refundedCents: 500,
      // Shipped means dispatched: the picked shipment does not count; the stray line is valued at 0.
      shippedCents: 2 * 1000 + 1 * 550,
      deliveredCents: 2 * 1000 + 1 * 550,
      lines: [
        { lineId: '1', sku: 'SKU-KETTLE', orderedQuantity: 2, unitPriceCents: 1000, shippedQuantity: 2, deliveredQuantity: 2 },
        { lineId: '2', sku: 'SKU-MUG', orderedQuantity: 3, unitPriceCents: 550, shippedQuantity: 1, deliveredQuantity: 1 },
        { lineId: '9', sku: '', orderedQuantity: 0, unitPriceCents: 0, shippedQuantity: 1, deliveredQuantity: 0 },
      ],
      payments: 3,
      shipments: 3,
    });
  });

  it('is the same whatever order the facts arrive in', () => {
    const facts = story().history.facts();
    expect(agreementOf(ORDER, [...facts].reverse())).toEqual(agreementOf(ORDER, facts));
    expect(agreementOf(ORDER, [...facts.filter((_, i) => i % 2 === 1), ...facts.filter((_, i) => i % 2 === 0)])).toEqual(agreementOf(ORDER, facts));
  });

  it('keeps the total of a cancelled order, and a removed line at ordered 0 with its price', () => {
    const { history, order } = story();
    order.amended(at(60), '1', 0);
    order.cancelled(at(61), 'out_of_stock');
    const agreement = agreementOf(ORDER, history.facts());
    expect(agreement).toMatchObject({ cancelled: true, orderedCents: 3 * 550, shippedCents: 2 * 1000 + 550 });
    expect(agreement.lines[0]).toEqual({ lineId: '1', sku: 'SKU-KETTLE', orderedQuantity: 0, unitPriceCents: 1000, shippedQuantity: 2, deliveredQuantity: 2 });
  });

  it('applies an amendment dated before its order (a clock that stepped back) after the order, not under it', () => {
    const history = reconciliationFacts();
    const order = history.order(ORDER);
    order.placed(at(10), [line('1', 2, '10.00')]);
    order.amended(at(5), '1', 4);
    expect(agreementOf(ORDER, history.facts())).toMatchObject({ orderedCents: 4000, lines: [expect.objectContaining({ lineId: '1', orderedQuantity: 4 })] });
  });

  it('knows no order while none is placed: no currency, every shipped line against an ordered 0', () => {
    const history = reconciliationFacts();
    const payment = history.payment('pay-000123-1', ORDER);
    payment.authorized(at(0), '12.00');
    payment.captured(at(1), '12.00');
    const shipment = history.shipment('shp-000123-1', ORDER);
    shipment.created(at(1), { 1: 2 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    expect(agreementOf(ORDER, history.facts())).toMatchObject({
      placedAt: null, currency: null, confirmed: false, orderedCents: 0, authorizedCents: 1200, capturedCents: 1200, shippedCents: 0, payments: 1, shipments: 1,
      lines: [{ lineId: '1', sku: '', orderedQuantity: 0, unitPriceCents: 0, shippedQuantity: 2, deliveredQuantity: 0 }],
    });
  });
});
