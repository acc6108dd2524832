import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../platform/simulator/index.js';
import type { OrderStory, ReconciliationFacts, StoryFact } from '../testing/reconciliationFacts.js';
import { at, HOUR, line, reconciliationFacts } from '../testing/reconciliationFacts.js';
import type { ExceptionDecision, OrderDecision } from './decideOrder.js';
import { decideOrder } from './decideOrder.js';
import type { OrderFact } from './OrderFact.js';
import { timeline } from './OrderFact.js';
import type { RuleCode } from './ruleCatalog.js';

// Given an order's facts, when decided at a watermark, then these exceptions. Every story starts
// at at(0) (event time, hours); the order is 2 × line 1 at 10.00 and 1 × line 2 at 5.00 = 25.00.

const ORDER = 'ord-000123';
const PAYMENT = 'pay-000123-1';
const SHIPMENT = 'shp-000123-1';
const LINES = [line('1', 2, '10.00'), line('2', 1, '5.00')];
/** Far enough that every deadline of a story has passed. */
const LATER = at(24 * 30);

/** An order placed at at(0): 25.00. */
function placedOrder() {
  const history = reconciliationFacts();
  const order = history.order(ORDER);
  const placed = order.placed(at(0), LINES);
  return { history, order, placed };
}

/** An order placed at at(0), confirmed at at(0.1), and paid 25.00 at dispatch (3 h) of one shipment of all its lines. */
function paidAndShipped() {
  const { history, order, placed } = placedOrder();
  order.confirmed(at(0.1));
  const payment = history.payment(PAYMENT, order);
  const authorized = payment.authorized(at(0.2), '25.00');
  const shipment = history.shipment(SHIPMENT, order);
  shipment.created(at(1), { 1: 2, 2: 1 });
  shipment.picked(at(2));
  const dispatched = shipment.dispatched(at(3));
  const captured = payment.captured(at(3.5), '25.00');
  return { history, order, placed, payment, authorized, shipment, dispatched, captured };
}

const decide = (history: ReconciliationFacts, watermark: number, orderId = ORDER): OrderDecision => decideOrder(orderId, history.facts(), watermark);
const rulesOf = (decision: OrderDecision): string[] => decision.exceptions.map((e) => (e.subject === '' ? e.rule : `${e.rule}:${e.subject}`));

/** The exception of `rule` (and subject), failing with what there is instead. */
function the(decision: OrderDecision, rule: RuleCode, subject = ''): ExceptionDecision {
  const found = decision.exceptions.find((e) => e.rule === rule && e.subject === subject);
  if (!found) throw new Error(`no ${rule} ${subject}; exceptions: ${JSON.stringify(rulesOf(decision))}`);
  return found;
}

/** How evidence must cite a fact: its id and type, event time, and where it was read. */
const cited = (fact: StoryFact) => ({ eventId: fact.event.eventId, type: fact.event.type, occurredAt: fact.event.occurredAt, topic: fact.origin.topic, partition: fact.origin.partition, offset: fact.origin.offset });
const citedIds = (exception: ExceptionDecision) => exception.evidence.map((e) => e.eventId);

describe('decideOrder: an order that goes well', () => {
  it('raises nothing, and has nothing left to decide once every deadline has passed', () => {
    const { history, shipment } = paidAndShipped();
    shipment.delivered(at(30));
    expect(decide(history, LATER)).toEqual({ exceptions: [], nextDecisionAt: null });
  });
});

describe('SHIPPED_NOT_CAPTURED', () => {
  function shippedUnpaid() {
    const { history, order, placed } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    const authorized = payment.authorized(at(0.2), '25.00');
    const shipment = history.shipment(SHIPMENT, order);
    const created = shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    const dispatched = shipment.dispatched(at(3));
    return { history, order, placed, payment, authorized, created, dispatched };
  }

  it('opens at dispatch + 24 h when the order has no capture by then, citing the dispatch and the payment', () => {
    const { history, authorized, dispatched } = shippedUnpaid();
    const exception = the(decide(history, at(27)), 'SHIPPED_NOT_CAPTURED');
    expect(exception).toMatchObject({
      exceptionId: `SHIPPED_NOT_CAPTURED:${ORDER}`, orderId: ORDER, subject: '', owner: 'payments', severity: 'HIGH', state: 'OPEN',
      openedAt: at(27), lastOpenedAt: at(27), openCount: 1, deadlineAt: at(27), resolvedAt: null, resolvedBy: null,
    });
    expect(exception.evidence).toContainEqual(cited(dispatched));
    expect(exception.evidence).toContainEqual(cited(authorized));
  });

  it('is not raised by a capture at exactly dispatch + 24 h ("by T" includes T)', () => {
    const { history, payment } = shippedUnpaid();
    payment.captured(at(27), '25.00');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('is not raised by a capture before the dispatch, on another payment of the order', () => {
    const { history, order } = shippedUnpaid();
    const second = history.payment('pay-000123-2', order);
    second.authorized(at(0.1), '25.00');
    second.captured(at(0.5), '25.00');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('resolves with a capture on the order, and a later dispatch does not reopen it (the order has a capture)', () => {
    const { history, order, payment } = shippedUnpaid();
    const captured = payment.captured(at(30), '10.00');
    const second = history.shipment('shp-000123-2', order);
    second.created(at(40), { 2: 1 });
    second.picked(at(41));
    second.dispatched(at(42));
    const exception = the(decide(history, LATER), 'SHIPPED_NOT_CAPTURED');
    expect(exception).toMatchObject({ state: 'RESOLVED', openedAt: at(27), openCount: 1, resolvedAt: at(30), resolvedBy: cited(captured) });
  });

  it('counts from the first dispatch when the order ships in two', () => {
    const { history, order } = shippedUnpaid();
    const second = history.shipment('shp-000123-2', order);
    second.created(at(1), { 2: 1 });
    second.picked(at(5));
    second.dispatched(at(10));
    expect(the(decide(history, LATER), 'SHIPPED_NOT_CAPTURED').openedAt).toBe(at(27));
  });
});

describe('CANCELLED_NOT_REFUNDED', () => {
  /** Paid 25.00 at at(1), cancelled at at(10). */
  function cancelledPaid() {
    const { history, order, placed } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    const authorized = payment.authorized(at(0.2), '25.00');
    const captured = payment.captured(at(1), '25.00');
    const cancelled = order.cancelled(at(10));
    return { history, order, placed, payment, authorized, captured, cancelled };
  }

  it('opens at cancellation + 48 h while captures minus refunds exceed what was dispatched before, citing the cancellation and the capture', () => {
    const { history, cancelled, captured, placed } = cancelledPaid();
    expect(rulesOf(decide(history, at(58) - 1))).toEqual([]);
    const exception = the(decide(history, at(58)), 'CANCELLED_NOT_REFUNDED');
    expect(exception).toMatchObject({
      exceptionId: `CANCELLED_NOT_REFUNDED:${ORDER}`, owner: 'payments', severity: 'CRITICAL', state: 'OPEN', openedAt: at(58), deadlineAt: at(58), openCount: 1,
    });
    expect(exception.evidence).toEqual(expect.arrayContaining([cited(placed), cited(cancelled), cited(captured)]));
  });

  it('is not raised for a cancelled order that captured nothing', () => {
    const { history, order } = placedOrder();
    history.payment(PAYMENT, order).authorized(at(0.2), '25.00');
    order.cancelled(at(10));
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('is not raised by a refund at exactly cancellation + 48 h', () => {
    const { history, payment } = cancelledPaid();
    payment.refunded(at(58), '25.00', 'order_cancelled');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('lets the payment keep the value, at order prices, of the lines dispatched before the cancellation', () => {
    const { history, order, payment } = cancelledPaid();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(2), { 1: 2 });
    shipment.picked(at(3));
    shipment.dispatched(at(4));
    // 20.00 left with the parcel; 25.00 captured: 5.00 is owed back.
    expect(rulesOf(decide(history, LATER))).toEqual(['CANCELLED_NOT_REFUNDED']);
    payment.refunded(at(58), '5.00', 'order_cancelled');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('lets it keep no more than the ordered quantity of a line: an over-shipped unit or a removed line is not paid for', () => {
    const { history, order } = cancelledPaid();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(2), { 1: 3 });
    shipment.picked(at(3));
    shipment.dispatched(at(4));
    // 3 of line 1 left, 2 were ordered: 20.00 may be kept of the 25.00 captured, not 30.00.
    expect(rulesOf(decide(history, LATER))).toEqual(['CANCELLED_NOT_REFUNDED', 'OVERSHIPPED_LINE']);

    const removed = cancelledPaid();
    removed.order.amended(at(1.5), '2', 0);
    const parcel = removed.history.shipment(SHIPMENT, removed.order);
    parcel.created(at(2), { 1: 2, 2: 1 });
    parcel.picked(at(3));
    parcel.dispatched(at(4));
    // Line 2 was removed before it left (ordered 0): only line 1's 20.00 may be kept of the 25.00.
    expect(rulesOf(decide(removed.history, LATER))).toEqual(['CANCELLED_NOT_REFUNDED', 'CAPTURE_EXCEEDS_ORDER', 'OVERSHIPPED_LINE']);
    removed.payment.refunded(at(58), '5.00', 'order_cancelled');
    expect(rulesOf(decide(removed.history, LATER))).toEqual(['CAPTURE_EXCEEDS_ORDER', 'OVERSHIPPED_LINE']);
  });

  it('does not count a dispatch at the cancellation instant as before it (it is shipped after cancellation)', () => {
    const { history, order, payment } = cancelledPaid();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(2), { 1: 2 });
    shipment.picked(at(3));
    shipment.dispatched(at(10));
    payment.refunded(at(20), '5.00', 'order_cancelled');
    expect(rulesOf(decide(history, LATER))).toEqual(['CANCELLED_NOT_REFUNDED', 'SHIPPED_AFTER_CANCEL']);
  });

  it('resolves with the refund, and reopens (same exception, second opening) when a capture lands after it', () => {
    const { history, order, payment } = cancelledPaid();
    const late = history.payment('pay-000123-2', order);
    late.authorized(at(0.5), '10.00');
    const refunded = payment.refunded(at(60), '25.00', 'order_cancelled');
    const resolved = the(decide(history, at(65)), 'CANCELLED_NOT_REFUNDED');
    expect(resolved).toMatchObject({ state: 'RESOLVED', openedAt: at(58), resolvedAt: at(60), resolvedBy: cited(refunded), openCount: 1 });

    const recaptured = late.captured(at(70), '10.00');
    const reopened = the(decide(history, at(75)), 'CANCELLED_NOT_REFUNDED');
    expect(reopened).toMatchObject({ exceptionId: resolved.exceptionId, state: 'OPEN', openedAt: at(58), lastOpenedAt: at(70), openCount: 2, resolvedAt: null, resolvedBy: null });
    expect(reopened.evidence).toContainEqual(cited(recaptured));
  });
});

describe('SHIPPED_AFTER_CANCEL', () => {
  /** Cancelled at at(10); a shipment created at at(1) and picked at at(2), not yet dispatched. */
  function cancelledWhilePicked() {
    const { history, order, placed } = placedOrder();
    const cancelled = order.cancelled(at(10));
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    return { history, order, placed, cancelled, shipment };
  }

  it('opens at the dispatch after the cancellation, citing both and no earlier shipment', () => {
    const { history, order, cancelled, shipment } = cancelledWhilePicked();
    const before = history.shipment('shp-000123-0', order);
    before.created(at(1), { 1: 1 });
    before.picked(at(2));
    const shippedBefore = before.dispatched(at(3));
    const dispatched = shipment.dispatched(at(12));
    const exception = the(decide(history, at(12)), 'SHIPPED_AFTER_CANCEL');
    expect(exception).toMatchObject({
      exceptionId: `SHIPPED_AFTER_CANCEL:${ORDER}`, owner: 'fulfillment', severity: 'HIGH', state: 'OPEN', openedAt: at(12), deadlineAt: null, openCount: 1,
    });
    expect(exception.evidence).toEqual(expect.arrayContaining([cited(cancelled), cited(dispatched)]));
    expect(citedIds(exception)).not.toContain(shippedBefore.event.eventId);
  });

  it('opens for a dispatch at exactly the cancellation instant ("at or after")', () => {
    const { history, shipment } = cancelledWhilePicked();
    shipment.dispatched(at(10));
    expect(the(decide(history, at(10)), 'SHIPPED_AFTER_CANCEL').openedAt).toBe(at(10));
  });

  it('is not raised by a dispatch a millisecond before the cancellation', () => {
    const { history, shipment } = cancelledWhilePicked();
    shipment.dispatched(at(10) - 1);
    expect(rulesOf(decide(history, LATER))).not.toContain('SHIPPED_AFTER_CANCEL');
  });

  it('never resolves by itself: the delivery and a refund leave it open', () => {
    const { history, order, shipment } = cancelledWhilePicked();
    shipment.dispatched(at(12));
    shipment.delivered(at(30));
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(1), '25.00');
    payment.refunded(at(20), '25.00', 'order_cancelled');
    expect(the(decide(history, LATER), 'SHIPPED_AFTER_CANCEL')).toMatchObject({ state: 'OPEN', openCount: 1, resolvedAt: null });
  });
});

describe('CAPTURE_EXCEEDS_ORDER', () => {
  it('opens at the capture that takes captures minus refunds above the total, summed over the order\'s payments', () => {
    const { history, order, placed } = placedOrder();
    const first = history.payment(PAYMENT, order);
    first.authorized(at(0.2), '20.00');
    const firstCapture = first.captured(at(1), '20.00');
    const second = history.payment('pay-000123-2', order, { method: 'gift_card' });
    second.authorized(at(0.3), '10.00');
    const secondCapture = second.captured(at(2), '10.00');
    expect(rulesOf(decide(history, at(2) - 1))).toEqual([]);
    const exception = the(decide(history, at(2)), 'CAPTURE_EXCEEDS_ORDER');
    expect(exception).toMatchObject({ exceptionId: `CAPTURE_EXCEEDS_ORDER:${ORDER}`, owner: 'payments', severity: 'CRITICAL', state: 'OPEN', openedAt: at(2), deadlineAt: null });
    expect(exception.evidence).toEqual(expect.arrayContaining([cited(placed), cited(firstCapture), cited(secondCapture)]));
  });

  it('is not raised when captures equal the total', () => {
    const { history } = paidAndShipped();
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('resolves with a refund, reopens with an amendment that lowers the total, and resolves again with one that raises it', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '30.00');
    payment.captured(at(1), '30.00');
    const refunded = payment.refunded(at(5), '5.00', 'duplicate_charge');
    const resolved = the(decide(history, at(6)), 'CAPTURE_EXCEEDS_ORDER');
    expect(resolved).toMatchObject({ state: 'RESOLVED', openedAt: at(1), resolvedAt: at(5), resolvedBy: cited(refunded) });

    const lowered = order.amended(at(8), '2', 0);
    const reopened = the(decide(history, at(8)), 'CAPTURE_EXCEEDS_ORDER');
    expect(reopened).toMatchObject({ exceptionId: resolved.exceptionId, state: 'OPEN', openedAt: at(1), lastOpenedAt: at(8), openCount: 2 });
    expect(reopened.evidence).toContainEqual(cited(lowered));

    const raised = order.amended(at(9), '1', 3);
    expect(the(decide(history, LATER), 'CAPTURE_EXCEEDS_ORDER')).toMatchObject({ state: 'RESOLVED', openCount: 2, resolvedAt: at(9), resolvedBy: cited(raised) });
  });

  it('waits for the order: a capture before OrderPlaced counts from the order\'s event time', () => {
    const history = reconciliationFacts();
    const payment = history.payment(PAYMENT, ORDER);
    payment.authorized(at(0), '30.00');
    payment.captured(at(1), '30.00');
    history.order(ORDER).placed(at(5), LINES);
    expect(the(decide(history, LATER), 'CAPTURE_EXCEEDS_ORDER').openedAt).toBe(at(5));
  });
});

describe('DELIVERED_AMOUNT_MISMATCH', () => {
  /** 20.00 of 25.00 captured; the order ships in two: line 1 delivered at at(30), line 2 at at(40). */
  function deliveredUnderpaid() {
    const { history, order, placed } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '25.00');
    const captured = payment.captured(at(3), '20.00');
    const first = history.shipment(SHIPMENT, order);
    first.created(at(1), { 1: 2 });
    first.picked(at(2));
    first.dispatched(at(3));
    first.delivered(at(30));
    const second = history.shipment('shp-000123-2', order);
    second.created(at(1), { 2: 1 });
    second.picked(at(2));
    second.dispatched(at(4));
    const completed = second.delivered(at(40));
    return { history, order, placed, payment, captured, completed };
  }

  it('opens 72 h after the delivery that completed the order when captures minus refunds differ from the total', () => {
    const { history, captured, completed, placed } = deliveredUnderpaid();
    expect(rulesOf(decide(history, at(112) - 1))).toEqual([]);
    const exception = the(decide(history, at(112)), 'DELIVERED_AMOUNT_MISMATCH');
    expect(exception).toMatchObject({
      exceptionId: `DELIVERED_AMOUNT_MISMATCH:${ORDER}`, owner: 'finance', severity: 'MEDIUM', state: 'OPEN', openedAt: at(112), deadlineAt: at(112), openCount: 1,
    });
    expect(exception.evidence).toEqual(expect.arrayContaining([cited(placed), cited(captured), cited(completed)]));
  });

  it('is not raised by a capture of the rest at exactly delivery + 72 h', () => {
    const { history, payment } = deliveredUnderpaid();
    payment.captured(at(112), '5.00');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('is not raised while a line is not delivered in full', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(3), '20.00');
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 2, 2: 0 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    shipment.delivered(at(30));
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('counts an over-delivery as full (and it is over-shipped too)', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '25.00');
    payment.captured(at(3), '25.00');
    payment.refunded(at(50), '1.00', 'goodwill');
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 3, 2: 1 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    shipment.delivered(at(30));
    expect(rulesOf(decide(history, LATER))).toEqual(['DELIVERED_AMOUNT_MISMATCH', 'OVERSHIPPED_LINE']);
    expect(the(decide(history, LATER), 'DELIVERED_AMOUNT_MISMATCH').openedAt).toBe(at(102));
  });

  it('resolves when captures minus refunds equal the total again, and reopens when a refund makes them differ', () => {
    const { history, payment } = deliveredUnderpaid();
    const rest = payment.captured(at(120), '5.00');
    expect(the(decide(history, at(130)), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ state: 'RESOLVED', resolvedAt: at(120), resolvedBy: cited(rest) });
    payment.refunded(at(200), '2.00', 'goodwill');
    expect(the(decide(history, LATER), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ state: 'OPEN', openedAt: at(112), lastOpenedAt: at(200), openCount: 2, deadlineAt: null });
  });

  it('resolves when an amendment makes the order no longer delivered in full, and reopens only 72 h after the delivery that completes it again', () => {
    const { history, order } = deliveredUnderpaid();
    const amended = order.amended(at(120), '2', 2);
    expect(the(decide(history, at(130)), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ state: 'RESOLVED', resolvedAt: at(120), resolvedBy: cited(amended) });
    const third = history.shipment('shp-000123-3', order);
    third.created(at(121), { 2: 1 });
    third.picked(at(122));
    third.dispatched(at(123));
    third.delivered(at(150));
    // Completed again at at(150): the new delivery has its own 72 h to be settled.
    expect(the(decide(history, at(222) - 1), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ state: 'RESOLVED', openCount: 1 });
    expect(the(decide(history, at(222)), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ state: 'OPEN', openCount: 2, openedAt: at(112), lastOpenedAt: at(222), deadlineAt: at(222) });
  });

  it('counts from the latest completion when an amendment left the order short in between (not from the completion undone)', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '40.00');
    payment.captured(at(3), '25.00');
    const first = history.shipment(SHIPMENT, order);
    first.created(at(1), { 1: 2, 2: 1 });
    first.picked(at(2));
    first.dispatched(at(3));
    first.delivered(at(40));
    order.amended(at(50), '2', 2);
    const second = history.shipment('shp-000123-2', order);
    second.created(at(51), { 2: 1 });
    second.picked(at(52));
    second.dispatched(at(53));
    second.delivered(at(60));
    // 30.00 ordered, 25.00 captured: decided at 60 h + 72 h, not at the 112 h of the first completion.
    expect(rulesOf(decide(history, at(132) - 1))).toEqual([]);
    expect(the(decide(history, at(132)), 'DELIVERED_AMOUNT_MISMATCH')).toMatchObject({ openedAt: at(132), deadlineAt: at(132) });
  });
});

describe('OVERSHIPPED_LINE', () => {
  it('opens at the dispatch that ships more of a line than ordered, citing the order and the dispatch', () => {
    const { history, order, placed } = placedOrder();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 3 });
    shipment.picked(at(2));
    expect(rulesOf(decide(history, LATER))).toEqual([]);
    const dispatched = shipment.dispatched(at(5));
    const exception = the(decide(history, at(5)), 'OVERSHIPPED_LINE');
    expect(exception).toMatchObject({ exceptionId: `OVERSHIPPED_LINE:${ORDER}`, owner: 'fulfillment', severity: 'MEDIUM', state: 'OPEN', openedAt: at(5), deadlineAt: null });
    expect(exception.evidence).toEqual(expect.arrayContaining([cited(placed), cited(dispatched)]));
  });

  it('is not raised by two shipments that together ship exactly the ordered quantity', () => {
    const { history, order } = placedOrder();
    for (const [id, hour] of [['shp-000123-1', 3], ['shp-000123-2', 4]] as const) {
      const shipment = history.shipment(id, order);
      shipment.created(at(1), { 1: 1 });
      shipment.picked(at(2));
      shipment.dispatched(at(hour));
    }
    expect(rulesOf(decide(history, LATER))).not.toContain('OVERSHIPPED_LINE');
  });

  it('counts a line the order does not have, or has removed, as ordered 0', () => {
    const { history, order } = placedOrder();
    order.amended(at(1), '2', 0);
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(2), { 2: 1 });
    shipment.picked(at(3));
    shipment.dispatched(at(4));
    expect(the(decide(history, LATER), 'OVERSHIPPED_LINE').openedAt).toBe(at(4));

    const unknown = placedOrder();
    const stray = unknown.history.shipment(SHIPMENT, unknown.order);
    stray.created(at(2), { 9: 1 });
    stray.picked(at(3));
    stray.dispatched(at(4));
    expect(the(decide(unknown.history, LATER), 'OVERSHIPPED_LINE').openedAt).toBe(at(4));
  });

  it('resolves with an amendment that raises the quantity, and reopens when more of the line is dispatched', () => {
    const { history, order } = placedOrder();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 3 });
    shipment.picked(at(2));
    shipment.dispatched(at(5));
    const amended = order.amended(at(6), '1', 3);
    expect(the(decide(history, at(7)), 'OVERSHIPPED_LINE')).toMatchObject({ state: 'RESOLVED', resolvedAt: at(6), resolvedBy: cited(amended) });
    const more = history.shipment('shp-000123-2', order);
    more.created(at(7), { 1: 1 });
    more.picked(at(7.5));
    const dispatched = more.dispatched(at(8));
    const reopened = the(decide(history, LATER), 'OVERSHIPPED_LINE');
    expect(reopened).toMatchObject({ state: 'OPEN', openedAt: at(5), lastOpenedAt: at(8), openCount: 2 });
    expect(reopened.evidence).toContainEqual(cited(dispatched));
  });
});

describe('AUTHORIZATION_EXPIRED_UNSHIPPED', () => {
  /** Confirmed at at(1); authorized at at(0.5) until at(72); nothing shipped. */
  function confirmedAuthorized() {
    const { history, order, placed } = placedOrder();
    const confirmed = order.confirmed(at(1));
    const payment = history.payment(PAYMENT, order);
    const authorized = payment.authorized(at(0.5), '25.00', at(72));
    return { history, order, placed, confirmed, payment, authorized };
  }

  function shipAll(history: ReconciliationFacts, order: OrderStory, dispatchAt: number) {
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(dispatchAt - 2 * HOUR, { 1: 2, 2: 1 });
    shipment.picked(dispatchAt - HOUR);
    return shipment.dispatched(dispatchAt);
  }

  it('opens at authorizationExpiresAt, per authorization, citing it', () => {
    const { history, authorized } = confirmedAuthorized();
    expect(rulesOf(decide(history, at(72) - 1))).toEqual([]);
    const exception = the(decide(history, at(72)), 'AUTHORIZATION_EXPIRED_UNSHIPPED', PAYMENT);
    expect(exception).toMatchObject({
      exceptionId: `AUTHORIZATION_EXPIRED_UNSHIPPED:${ORDER}:${PAYMENT}`, subject: PAYMENT, owner: 'payments', severity: 'MEDIUM', state: 'OPEN', openedAt: at(72), deadlineAt: at(72),
    });
    expect(exception.evidence).toContainEqual(cited(authorized));
  });

  it('is not raised by a capture, a void or a full shipment at exactly the expiry, nor for an order not confirmed or cancelled', () => {
    const captured = confirmedAuthorized();
    captured.payment.captured(at(72), '25.00');
    expect(rulesOf(decide(captured.history, LATER))).toEqual([]);

    const voided = confirmedAuthorized();
    voided.payment.voided(at(72));
    expect(rulesOf(decide(voided.history, LATER))).toEqual([]);

    const failed = confirmedAuthorized();
    failed.payment.failed(at(72), 'authorization_expired');
    expect(rulesOf(decide(failed.history, LATER))).toEqual([]);

    const shipped = confirmedAuthorized();
    shipAll(shipped.history, shipped.order, at(72));
    // Shipped unpaid: that is another rule's business.
    expect(rulesOf(decide(shipped.history, LATER))).toEqual(['SHIPPED_NOT_CAPTURED']);

    const unconfirmed = placedOrder();
    unconfirmed.history.payment(PAYMENT, unconfirmed.order).authorized(at(0.5), '25.00', at(72));
    expect(rulesOf(decide(unconfirmed.history, LATER))).toEqual([]);

    const cancelled = confirmedAuthorized();
    cancelled.order.cancelled(at(72));
    expect(rulesOf(decide(cancelled.history, LATER))).toEqual([]);
  });

  it('decides each authorization on its own: its own expiry, its own capture', () => {
    const { history, order } = confirmedAuthorized();
    const second = history.payment('pay-000123-2', order);
    const secondAuthorized = second.authorized(at(2), '25.00', at(96));
    const third = history.payment('pay-000123-3', order);
    third.authorized(at(3), '25.00', at(100));
    third.captured(at(4), '25.00');
    const decision = decide(history, LATER);
    expect(rulesOf(decision)).toEqual([`AUTHORIZATION_EXPIRED_UNSHIPPED:${PAYMENT}`, 'AUTHORIZATION_EXPIRED_UNSHIPPED:pay-000123-2']);
    expect(the(decision, 'AUTHORIZATION_EXPIRED_UNSHIPPED', 'pay-000123-2')).toMatchObject({ exceptionId: `AUTHORIZATION_EXPIRED_UNSHIPPED:${ORDER}:pay-000123-2`, openedAt: at(96) });
    expect(citedIds(the(decision, 'AUTHORIZATION_EXPIRED_UNSHIPPED', PAYMENT))).not.toContain(secondAuthorized.event.eventId);
    expect(the(decision, 'AUTHORIZATION_EXPIRED_UNSHIPPED', 'pay-000123-2').evidence).toContainEqual(cited(secondAuthorized));
  });

  it('resolves when the order is fully shipped, and reopens when an amendment leaves it short again', () => {
    const { history, order } = confirmedAuthorized();
    const dispatched = shipAll(history, order, at(80));
    const resolved = the(decide(history, at(85)), 'AUTHORIZATION_EXPIRED_UNSHIPPED', PAYMENT);
    expect(resolved).toMatchObject({ state: 'RESOLVED', resolvedAt: at(80), resolvedBy: cited(dispatched) });
    const amended = order.amended(at(90), '1', 3);
    const reopened = the(decide(history, at(90)), 'AUTHORIZATION_EXPIRED_UNSHIPPED', PAYMENT);
    expect(reopened).toMatchObject({ exceptionId: resolved.exceptionId, state: 'OPEN', openedAt: at(72), lastOpenedAt: at(90), openCount: 2 });
    expect(reopened.evidence).toContainEqual(cited(amended));
  });

  it('resolves when the order is cancelled, for good', () => {
    const { history, order } = confirmedAuthorized();
    const cancelled = order.cancelled(at(80));
    expect(the(decide(history, LATER), 'AUTHORIZATION_EXPIRED_UNSHIPPED', PAYMENT)).toMatchObject({ state: 'RESOLVED', resolvedAt: at(80), resolvedBy: cited(cancelled) });
  });
});

describe.each([
  {
    rule: 'ORPHAN_PAYMENT' as const, owner: 'payments', severity: 'MEDIUM',
    first: (history: ReconciliationFacts) => {
      const payment = history.payment(PAYMENT, ORDER);
      const first = payment.authorized(at(1), '25.00');
      payment.captured(at(2), '25.00');
      return first;
    },
  },
  {
    rule: 'ORPHAN_SHIPMENT' as const, owner: 'fulfillment', severity: 'HIGH',
    first: (history: ReconciliationFacts) => {
      const shipment = history.shipment(SHIPMENT, ORDER);
      const first = shipment.created(at(1), { 1: 2 });
      shipment.picked(at(2));
      return first;
    },
  },
])('$rule', ({ rule, owner, severity, first }) => {
  it('opens 24 h after its first event when no order is placed by then, citing that event', () => {
    const history = reconciliationFacts();
    const firstEvent = first(history);
    expect(rulesOf(decide(history, at(25) - 1))).toEqual([]);
    const exception = the(decide(history, at(25)), rule);
    expect(exception).toMatchObject({ exceptionId: `${rule}:${ORDER}`, owner, severity, state: 'OPEN', openedAt: at(25), deadlineAt: at(25) });
    expect(exception.evidence).toContainEqual(cited(firstEvent));
  });

  it('is not raised by an OrderPlaced at exactly first event + 24 h', () => {
    const history = reconciliationFacts();
    first(history);
    history.order(ORDER).placed(at(25), LINES);
    expect(rulesOf(decide(history, LATER)).filter((r) => r.startsWith('ORPHAN'))).toEqual([]);
  });

  it('is not raised by an OrderPlaced that arrives late but happened in time (event time decides)', () => {
    const history = reconciliationFacts();
    first(history);
    history.order(ORDER).placed(at(0), LINES);
    expect(rulesOf(decide(history, LATER)).filter((r) => r.startsWith('ORPHAN'))).toEqual([]);
  });

  it('resolves when the order arrives', () => {
    const history = reconciliationFacts();
    first(history);
    const placed = history.order(ORDER).placed(at(30), LINES);
    expect(the(decide(history, LATER), rule)).toMatchObject({ state: 'RESOLVED', openedAt: at(25), resolvedAt: at(30), resolvedBy: cited(placed), openCount: 1 });
  });
});

describe('decideOrder: the watermark', () => {
  it('has nothing to decide without facts, and waits for the first fact before the watermark reaches it', () => {
    expect(decideOrder(ORDER, [], LATER)).toEqual({ exceptions: [], nextDecisionAt: null });
    const { history } = placedOrder();
    expect(decide(history, at(0) - 1)).toEqual({ exceptions: [], nextDecisionAt: at(0) });
  });

  it('decides nothing for an instant after the watermark, and decides it once the watermark reaches it', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '30.00');
    payment.captured(at(5), '30.00');
    expect(decide(history, at(5) - 1)).toEqual({ exceptions: [], nextDecisionAt: at(5) });
    expect(rulesOf(decide(history, at(5)))).toEqual(['CAPTURE_EXCEEDS_ORDER']);
  });

  it('gives the next deadline as nextDecisionAt, or the next fact beyond the watermark when it comes first', () => {
    const { history, order } = placedOrder();
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    const captured = history.payment(PAYMENT, order);
    captured.authorized(at(1), '25.00', at(200));
    captured.captured(at(3), '25.00');
    // Clocks: the first payment and shipment events (orphan checks, 1 h + 24 h), the dispatch (3 h + 24 h),
    // the authorization's expiry (200 h). Each is a deadline even when it will find nothing.
    expect(decide(history, at(4))).toEqual({ exceptions: [], nextDecisionAt: at(25) });
    expect(decide(history, at(25)).nextDecisionAt).toBe(at(27));
    expect(decide(history, at(27)).nextDecisionAt).toBe(at(200));
    expect(decide(history, at(200)).nextDecisionAt).toBeNull();
    // A fact beyond the watermark comes first: the delivery at 10 h, which starts its own clock (72 h).
    shipment.delivered(at(10));
    expect(decide(history, at(4)).nextDecisionAt).toBe(at(10));
    expect(decide(history, at(10)).nextDecisionAt).toBe(at(25));
    expect(decide(history, at(27)).nextDecisionAt).toBe(at(82));
    expect(decide(history, at(82)).nextDecisionAt).toBe(at(200));
    expect(decide(history, at(82)).exceptions).toEqual([]);
  });

  it('never rewrites what an earlier watermark decided, when no fact came late', () => {
    const { history, order, payment, shipment } = paidAndShipped();
    payment.refunded(at(40), '25.00', 'goodwill');
    order.amended(at(41), '1', 1);
    shipment.delivered(at(50));
    const instants = [...new Set(timeline(history.facts()).map((f) => f.at))].flatMap((t) => [t - 1, t, t + 24 * HOUR, t + 72 * HOUR]);
    const final = decide(history, LATER);
    for (const watermark of instants) {
      const decision = decide(history, watermark);
      for (const e of decision.exceptions) {
        expect(e.openedAt).toBeLessThanOrEqual(watermark);
        expect(e.resolvedAt ?? -Infinity).toBeLessThanOrEqual(watermark);
        expect(final.exceptions.find((x) => x.exceptionId === e.exceptionId)?.openedAt).toBe(e.openedAt);
      }
      if (decision.nextDecisionAt !== null) expect(decision.nextDecisionAt).toBeGreaterThan(watermark);
    }
  });

  it('counts a fact that came after the watermark passed its time at its event time: the decision is as if it had been on time', () => {
    const { history, order } = placedOrder();
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '25.00');
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(1), { 1: 2, 2: 1 });
    shipment.picked(at(2));
    shipment.dispatched(at(3));
    expect(rulesOf(decide(history, at(40)))).toEqual(['SHIPPED_NOT_CAPTURED']);
    payment.captured(at(20), '25.00');
    expect(rulesOf(decide(history, at(40)))).toEqual([]);
  });
});

describe('decideOrder: one order, several exceptions', () => {
  it('decides every rule on its own: over-captured, cancelled, then over-shipped after the cancellation and never refunded', () => {
    const { history, order } = placedOrder();
    order.confirmed(at(0.1));
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(0.2), '30.00');
    payment.captured(at(1), '30.00');
    const spare = history.payment('pay-000123-2', order);
    spare.authorized(at(0.3), '25.00', at(48));
    order.cancelled(at(10));
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(2), { 1: 3 });
    shipment.picked(at(3));
    shipment.dispatched(at(12));
    const decision = decide(history, LATER);
    expect(decision.exceptions.map((e) => [e.exceptionId, e.state, e.openedAt])).toEqual([
      [`CANCELLED_NOT_REFUNDED:${ORDER}`, 'OPEN', at(58)],
      [`CAPTURE_EXCEEDS_ORDER:${ORDER}`, 'OPEN', at(1)],
      [`OVERSHIPPED_LINE:${ORDER}`, 'OPEN', at(12)],
      [`SHIPPED_AFTER_CANCEL:${ORDER}`, 'OPEN', at(12)],
    ]);
  });
});

describe('decideOrder: arrival order', () => {
  /** A busy order: facts at shared instants across topics, several exceptions opening, resolving and reopening. */
  function busyOrder() {
    const { history, order } = placedOrder();
    order.confirmed(at(1));
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(1), '30.00', at(60));
    const spare = history.payment('pay-000123-2', order);
    spare.authorized(at(1), '10.00', at(24));
    const first = history.shipment(SHIPMENT, order);
    first.created(at(1), { 1: 3 });
    first.picked(at(2));
    // At 3 h: over-captured (30.00 of 25.00) and over-shipped (3 of 2), both resolved at 4 h.
    payment.captured(at(3), '30.00');
    first.dispatched(at(3));
    order.amended(at(4), '1', 3);
    payment.refunded(at(20), '5.00', 'goodwill');
    first.delivered(at(20));
    // At 24 h: the spare authorization expires with line 2 unshipped.
    // At 27 h: line 1 back to 2 and line 2 removed (20.00) while line 2 is dispatched: both reopen,
    // the authorization's exception resolves (fully shipped) and the order is delivered in full.
    order.amended(at(27), '1', 2);
    order.amended(at(27), '2', 0);
    const second = history.shipment('shp-000123-2', order);
    second.created(at(5), { 2: 1 });
    second.picked(at(6));
    second.dispatched(at(27));
    second.delivered(at(40));
    return history;
  }

  function shuffled<T>(items: readonly T[], seed: number): T[] {
    const prng = createPrng(seed);
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = prng.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  it('reaches the same decision, at every watermark, whatever order the facts arrive in', () => {
    const facts: OrderFact[] = busyOrder().facts();
    const watermarks = [at(3), at(4), at(24), at(27), at(92), LATER];
    const expected = watermarks.map((w) => decideOrder(ORDER, facts, w));
    expect(expected.at(-1)!.exceptions.map((e) => [e.rule, e.state, e.openCount, e.openedAt])).toEqual([
      ['AUTHORIZATION_EXPIRED_UNSHIPPED', 'RESOLVED', 1, at(24)],
      ['CAPTURE_EXCEEDS_ORDER', 'OPEN', 2, at(3)],
      ['DELIVERED_AMOUNT_MISMATCH', 'OPEN', 1, at(92)],
      ['OVERSHIPPED_LINE', 'OPEN', 2, at(3)],
    ]);
    for (let seed = 1; seed <= 100; seed++) {
      const arrival = shuffled(facts, seed);
      watermarks.forEach((w, i) => expect(decideOrder(ORDER, arrival, w)).toEqual(expected[i]));
    }
  });
});

describe('decideOrder: effective time', () => {
  it('never runs backwards within an aggregate: an event dated before its predecessor counts at the predecessor\'s time', () => {
    const { history, order, placed } = placedOrder();
    const amended = order.amended(at(0) - 5 * HOUR, '1', 3);
    const steps = timeline(history.facts());
    expect(steps.map((f) => [f.event.eventId, f.at])).toEqual([[placed.event.eventId, at(0)], [amended.event.eventId, at(0)]]);
  });

  it('holds for any dating of any aggregate\'s events, whatever the arrival order', () => {
    const prng = createPrng(7);
    for (let round = 0; round < 50; round++) {
      const history = reconciliationFacts();
      const order = history.order(ORDER);
      order.placed(at(prng.int(0, 10)), LINES);
      order.amended(at(prng.int(0, 10)), '1', 1);
      order.confirmed(at(prng.int(0, 10)));
      const payment = history.payment(PAYMENT, order);
      payment.authorized(at(prng.int(0, 10)), '25.00');
      payment.captured(at(prng.int(0, 10)), '5.00');
      payment.refunded(at(prng.int(0, 10)), '1.00');
      const facts = [...history.facts()].reverse();
      const steps = timeline(facts);
      for (const id of [ORDER, PAYMENT]) {
        const mine = steps.filter((f) => f.event.aggregateId === id);
        expect(mine.map((f) => f.event.sequence)).toEqual(mine.map((_, i) => i + 1));
        mine.forEach((f, i) => {
          expect(f.at).toBeGreaterThanOrEqual(Date.parse(f.event.occurredAt));
          if (i > 0) expect(f.at).toBeGreaterThanOrEqual(mine[i - 1]!.at);
        });
      }
    }
  });

  it('does not let an amendment dated before its order count before it was placed', () => {
    // Placed at at(10) with 20.00 of line 1 (and 5.00 of line 2); the amendment to 3 × line 1 is
    // dated at(5) by a clock that stepped back. Counted before the order it would be overwritten
    // by the placed lines, and the 35.00 capture would exceed a 25.00 total.
    const history = reconciliationFacts();
    const order = history.order(ORDER);
    order.placed(at(10), LINES);
    order.amended(at(5), '1', 3);
    const payment = history.payment(PAYMENT, order);
    payment.authorized(at(6), '35.00');
    payment.captured(at(7), '35.00');
    expect(rulesOf(decide(history, LATER))).toEqual([]);
  });

  it('dates a dispatch whose clock stepped back at its shipment\'s previous event: dispatched after the cancellation', () => {
    const { history, order } = placedOrder();
    order.cancelled(at(10));
    const shipment = history.shipment(SHIPMENT, order);
    shipment.created(at(11), { 1: 2 });
    shipment.picked(at(12));
    shipment.dispatched(at(9));
    expect(the(decide(history, LATER), 'SHIPPED_AFTER_CANCEL').openedAt).toBe(at(12));
  });
});
