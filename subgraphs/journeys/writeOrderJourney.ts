import { centsToMoney, moneyToCents } from '../../platform/events/index.js';
import type { Prng, SimulatedRecord } from '../../platform/simulator/index.js';
import type { Carrier, ShipmentHistory, ShipmentStep, ShipTo } from '../fulfillment/index.js';
import { CARRIERS, renderShipmentEvents } from '../fulfillment/index.js';
import type { OrderHistory, PublishedOrder } from '../orders/index.js';
import type { PaymentHistory, PaymentMethod, PaymentStep } from '../payments/index.js';
import { renderPaymentEvents } from '../payments/index.js';
import type { JourneyRace, OrderJourney } from './OrderJourney.js';
import { orderLinesAt, totalCentsOf } from './orderLinesAt.js';

/** Probabilities per journey. Races are rare by default, as in production; tests raise them. */
export interface JourneyRates {
  /** A confirmed order ships in two shipments from two warehouses (when it has two lines or more). Default 0.3. */
  splitShipment: number;
  /** The first payment attempt is declined at once; a second one follows. Default 0.05. */
  declinedFirst: number;
  /** A dispatched shipment is delivered. Default 0.85. */
  delivered: number;
  /** A delivered order gets a partial goodwill refund. Default 0.05. */
  goodwillRefund: number;
  'order-consumed-late': number;
  'refund-before-capture': number;
  'dispatch-after-cancel': number;
  'authorization-expired': number;
  'never-captured': number;
  'order-never-appears': number;
}

export const DEFAULT_JOURNEY_RATES: JourneyRates = {
  splitShipment: 0.3,
  declinedFirst: 0.05,
  delivered: 0.85,
  goodwillRefund: 0.05,
  'order-consumed-late': 0.03,
  'refund-before-capture': 0.03,
  'dispatch-after-cancel': 0.02,
  'authorization-expired': 0.03,
  'never-captured': 0.02,
  'order-never-appears': 0.01,
};

const WAREHOUSES = ['wh-lyon', 'wh-leeds'] as const;
const NAMES = ['Jane Doe', 'Amal Haddad', 'Jonas Becker', 'Maria Rossi', 'Wei Chen', 'Olu Adeyemi', 'Sofia Lindqvist'];
const METHODS: readonly PaymentMethod[] = ['card', 'card', 'card', 'wallet', 'bank_transfer', 'gift_card'];
const DAY = 86_400_000;

const stepAt = (order: OrderHistory, kind: 'confirm' | 'cancel' | 'release') => order.steps.find((s) => s.kind === kind)?.at ?? null;

/**
 * Writes an order's whole journey: the order as its producers publish it, then payments and
 * shipments that follow from it (authorization after placement, a fraud check, shipments after
 * confirmation or the legacy release, a capture per dispatched shipment, voids or refunds on
 * cancellation), with the races of `rates`. Business facts come from `prngs.history` only;
 * delivery choices (legacy path, late or early arrival) from `prngs.publish`.
 */
export function writeOrderJourney(published: PublishedOrder, rates: JourneyRates, stepIntervalMs: number, prngs: { history: Prng; publish: Prng }): { journey: OrderJourney; records: SimulatedRecord[] } {
  const hp = prngs.history;
  const { history: order, legacy } = published;
  const orderNumber = order.orderId.replace(/^ord-/, '');
  const races: JourneyRace[] = [];
  const race = (name: JourneyRace, when = true) => {
    // Always draw, so one race's rate never shifts the others' draws.
    const drawn = hp.chance(rates[name]);
    if (drawn && when) races.push(name);
    return drawn && when;
  };
  const step = (min: number, max: number) => hp.int(Math.ceil(stepIntervalMs * min), Math.ceil(stepIntervalMs * max));
  const confirmAt = stepAt(order, 'confirm');
  const cancelAt = stepAt(order, 'cancel');
  const releaseAt = stepAt(order, 'release');
  const holder = hp.pick(NAMES);

  const neverAppears = race('order-never-appears');
  const dispatchAfterCancel = race('dispatch-after-cancel', confirmAt !== null && cancelAt !== null && cancelAt > confirmAt);
  const expires = race('authorization-expired');
  const neverCaptured = race('never-captured');

  // Shipments: after confirmation (or the legacy release), unless cancelled first.
  const shipments: ShipmentHistory[] = [];
  const startAt = (releaseAt ?? confirmAt ?? 0) + step(0.5, 1);
  const splitDrawn = hp.chance(rates.splitShipment);
  if (!neverAppears && confirmAt !== null && (cancelAt === null || cancelAt > startAt)) {
    const lines = orderLinesAt(order, startAt).filter((l) => l.quantity > 0);
    const groups = splitDrawn && lines.length >= 2 ? [lines.slice(0, Math.ceil(lines.length / 2)), lines.slice(Math.ceil(lines.length / 2))] : [lines];
    groups.forEach((group, index) => {
      const createdAt = startAt + index * step(0.1, 0.3);
      const pickedAt = createdAt + step(0.5, 1);
      const dispatchedAt = pickedAt + step(1, 3) + (expires ? 8 * stepIntervalMs : 0);
      const deliveredAt = dispatchedAt + step(2, 6);
      const warehouseId = groups.length > 1 ? WAREHOUSES[index]! : hp.pick(WAREHOUSES);
      const steps: ShipmentStep[] = [{ kind: 'create', at: createdAt }];
      const cancelled = cancelAt !== null && cancelAt <= dispatchedAt && !dispatchAfterCancel;
      if (cancelled) {
        if (pickedAt < cancelAt) steps.push({ kind: 'pick', at: pickedAt });
        steps.push({ kind: 'cancel', at: Math.max(cancelAt, createdAt) + step(0.05, 0.2), reason: 'order_cancelled' });
      } else {
        const carrier: Carrier = hp.pick(CARRIERS);
        const dispatchAt = dispatchAfterCancel && cancelAt !== null ? Math.max(dispatchedAt, cancelAt + step(0.1, 0.5)) : dispatchedAt;
        steps.push({ kind: 'pick', at: pickedAt }, { kind: 'dispatch', at: dispatchAt, carrier, trackingNumber: `${carrier.toUpperCase()}${hp.int(100_000_000, 999_999_999)}` });
        if (hp.chance(rates.delivered)) steps.push({ kind: 'deliver', at: Math.max(deliveredAt, dispatchAt + step(1, 2)), signedBy: hp.chance(0.7) ? holder : null });
      }
      const shipTo: ShipTo = { name: holder, line1: order.shippingAddress.line1, city: order.shippingAddress.city, postalCode: order.shippingAddress.postalCode, country: order.shippingAddress.country };
      shipments.push({ shipmentId: `shp-${orderNumber}-${index + 1}`, orderId: order.orderId, warehouseId, wave: `${new Date(createdAt).toISOString().slice(0, 10)}-W${1 + Math.floor(new Date(createdAt).getUTCHours() / 6)}`, lines: group.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), shipTo, steps });
    });
  }

  // Payments: authorize shortly after placement; a decline first, sometimes; a re-authorization after expiry.
  const payments: PaymentHistory[] = [];
  const method = hp.pick(METHODS);
  const attempt = (number: number, authorizeAt: number, amount: string, expiresAt: number): PaymentHistory => ({
    paymentId: `pay-${orderNumber}-${number}`,
    orderId: order.orderId,
    currency: order.currency,
    method,
    card: method === 'card' ? { brand: hp.pick(['visa', 'mastercard', 'amex']), last4: String(hp.int(0, 9999)).padStart(4, '0'), holderName: holder } : null,
    pspReference: `psp-${orderNumber}-${number}-${hp.int(1000, 9999)}`,
    authorizationExpiresAt: expiresAt,
    steps: [{ kind: 'authorize', at: authorizeAt, amount }],
  });
  // Cards and wallets authorize at checkout; a bank transfer is authorized when the money arrives, often after confirmation.
  let authorizeAt = order.placedAt + (method === 'bank_transfer' ? step(1, 4) : hp.int(2_000, 20_000));
  const authorizedCents = totalCentsOf(orderLinesAt(order, authorizeAt));
  if (hp.chance(rates.declinedFirst)) {
    payments.push({ ...attempt(payments.length + 1, authorizeAt, centsToMoney(authorizedCents), authorizeAt + 7 * DAY), steps: [{ kind: 'decline', at: authorizeAt, amount: centsToMoney(authorizedCents), failureCode: 'declined' }] });
    authorizeAt += hp.int(20_000, 60_000);
  }
  const dispatches = shipments.flatMap((s) => s.steps.filter((x) => x.kind === 'dispatch').map((x) => ({ shipment: s, at: x.at }))).sort((a, b) => a.at - b.at);
  const firstDispatchAt = dispatches[0]?.at ?? null;
  const expiresAt = expires && firstDispatchAt !== null ? firstDispatchAt - step(2, 4) : authorizeAt + 7 * DAY;
  let active = attempt(payments.length + 1, authorizeAt, centsToMoney(authorizedCents), Math.max(expiresAt, authorizeAt + 1000));
  payments.push(active);
  const fraudAt = authorizeAt + hp.int(500, 5_000);
  const fraudRejected = order.steps.some((s) => s.kind === 'cancel' && s.reason === 'fraud');
  active.steps.push({ kind: 'fraudCheck', at: fraudAt, outcome: fraudRejected ? 'rejected' : 'passed', score: fraudRejected ? hp.int(80, 100) : hp.int(0, 40) });
  if (expires && firstDispatchAt !== null) {
    // The PSP reports the expiry as a failure, or says nothing; the shop re-authorizes either way.
    if (hp.chance(0.5)) active.steps.push({ kind: 'fail', at: active.authorizationExpiresAt, failureCode: 'authorization_expired' });
    const reauthorizeAt = active.authorizationExpiresAt + step(0.5, 1);
    active = attempt(payments.length + 1, reauthorizeAt, centsToMoney(authorizedCents), reauthorizeAt + 7 * DAY);
    payments.push(active);
  }
  const capturedCents = new Map<PaymentHistory, number>();
  let captureNumber = 0;
  if (!neverCaptured) {
    for (const { shipment, at } of dispatches) {
      if (cancelAt !== null && at >= cancelAt) continue; // dispatched after the cancellation: nobody captures that
      const prices = new Map(orderLinesAt(order, at).map((l) => [l.lineId, l.unitPrice]));
      const valueCents = shipment.lines.reduce((sum, l) => sum + l.quantity * moneyToCents(prices.get(l.lineId) ?? '0.00'), 0);
      const already = capturedCents.get(active) ?? 0;
      const amount = Math.min(valueCents, authorizedCents - already);
      // Captured within half a step of the dispatch: before the parcel can be delivered (and refunded).
      const captureAt = Math.max(at, active.steps[0]!.at) + Math.min(hp.int(1_000, 60_000), Math.ceil(stepIntervalMs / 2));
      if (amount <= 0 || captureAt >= active.authorizationExpiresAt) continue;
      active.steps.push({ kind: 'capture', at: captureAt, captureId: `cap-${orderNumber}-${++captureNumber}`, amount: centsToMoney(amount) });
      capturedCents.set(active, already + amount);
    }
  }
  let refundNumber = 0;
  if (cancelAt !== null) {
    const settleAt = cancelAt + hp.int(5_000, 120_000);
    for (const payment of payments) {
      const last = payment.steps[payment.steps.length - 1]!;
      if (payment.steps[0]!.kind === 'decline' || last.kind === 'fail') continue;
      const captured = capturedCents.get(payment) ?? 0;
      if (captured > 0) payment.steps.push({ kind: 'refund', at: Math.max(settleAt, last.at + 1000), refundId: `ref-${orderNumber}-${++refundNumber}`, amount: centsToMoney(captured), reason: 'order_cancelled' });
      else payment.steps.push({ kind: 'void', at: Math.max(settleAt, last.at + 1000) });
    }
  } else if (hp.chance(rates.goodwillRefund)) {
    const deliveredAt = Math.max(0, ...shipments.flatMap((s) => s.steps.filter((x) => x.kind === 'deliver').map((x) => x.at)));
    const captured = capturedCents.get(active) ?? 0;
    // A goodwill gesture after the last delivery, and after the last capture it refunds part of.
    const lastCaptureAt = Math.max(0, ...active.steps.filter((x) => x.kind === 'capture').map((x) => x.at));
    if (deliveredAt > 0 && captured > 100) active.steps.push({ kind: 'refund', at: Math.max(deliveredAt, lastCaptureAt) + step(1, 3), refundId: `ref-${orderNumber}-${++refundNumber}`, amount: centsToMoney(Math.floor(captured / 10)), reason: 'goodwill' });
  }
  for (const payment of payments) payment.steps.sort((a: PaymentStep, b: PaymentStep) => a.at - b.at);

  // Publishing: the order's own records (unless it never appears), then payments and shipments.
  const pp = prngs.publish;
  const orderRecords = neverAppears ? [] : published.records;
  const paymentRecords = payments.flatMap((p) => renderPaymentEvents(p, pp));
  const shipmentRecords = shipments.flatMap((s) => renderShipmentEvents(s, pp));
  const others = [...paymentRecords, ...shipmentRecords];
  let records = [...orderRecords, ...others];
  if (!neverAppears && others.length > 0 && pp.chance(rates['order-consumed-late'])) {
    races.push('order-consumed-late');
    const after = Math.max(...others.map((r) => r.at)) + 1000;
    const shift = after - Math.min(...orderRecords.map((r) => r.at));
    records = [...others, ...orderRecords.map((r) => ({ ...r, at: r.at + shift }))];
  }
  if (pp.chance(rates['refund-before-capture'])) {
    // Deliver a refund just before the last capture of its payment (they share a partition and a key).
    const refund = records.findIndex((r) => r.value?.includes('"PaymentRefunded"'));
    const capture = refund < 0 ? -1 : records.findLastIndex((r, i) => i < refund && r.key === records[refund]!.key && r.value?.includes('"PaymentCaptured"'));
    if (capture >= 0) {
      races.push('refund-before-capture');
      const captureRecord = records[capture]!;
      const refundRecord = records[refund]!;
      records[capture] = { ...refundRecord, at: captureRecord.at };
      records[refund] = { ...captureRecord, at: refundRecord.at };
    }
  }
  return { journey: { orderId: order.orderId, order, orderPublished: !neverAppears, legacy, payments, shipments, races }, records };
}
