import { moneyToCents } from '../../../platform/events/index.js';
import type { Evidence, TimedFact } from './OrderFact.js';
import { evidenceOf } from './OrderFact.js';

export interface SituationLine {
  lineId: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface SituationPayment {
  paymentId: string;
  authorizedAt: number | null;
  authorizedCents: number;
  /** Epoch ms, from PaymentAuthorized. */
  expiresAt: number | null;
  capturedCents: number;
  refundedCents: number;
  captures: number;
  voidedAt: number | null;
  failedAt: number | null;
  evidence: Evidence[];
}

export interface SituationShipment {
  shipmentId: string;
  /** lineId → quantity, from ShipmentCreated. */
  lines: Map<string, number>;
  dispatchedAt: number | null;
  deliveredAt: number | null;
  cancelledAt: number | null;
  evidence: Evidence[];
}

/**
 * What is known of an order at a point of event time: the orders, payments and fulfillment facts
 * applied so far, and the quantities the rules are written in. Built fact by fact in event-time
 * order; every number is exact (integer cents).
 */
export class OrderSituation {
  placed: Evidence | null = null;
  currency: string | null = null;
  readonly lines = new Map<string, SituationLine>();
  orderEvidence: Evidence[] = [];
  confirmedAt: number | null = null;
  cancelledAt: number | null = null;
  cancellation: Evidence | null = null;
  readonly payments = new Map<string, SituationPayment>();
  readonly shipments = new Map<string, SituationShipment>();
  firstPaymentAt: number | null = null;
  firstShipmentAt: number | null = null;
  constructor(readonly orderId: string) {}

  apply(fact: TimedFact): void {
    const { event, at } = fact;
    const evidence = evidenceOf(fact);
    switch (event.type) {
      case 'OrderPlaced':
        this.placed = evidence;
        this.currency = event.data.currency;
        for (const line of event.data.lines) this.lines.set(line.lineId, { lineId: line.lineId, sku: line.sku, quantity: line.quantity, unitPriceCents: moneyToCents(line.unitPrice) });
        this.orderEvidence.push(evidence);
        return;
      case 'OrderLineAmended': {
        const line = this.lines.get(event.data.lineId);
        this.lines.set(event.data.lineId, { lineId: event.data.lineId, sku: line?.sku ?? '', quantity: event.data.quantity, unitPriceCents: moneyToCents(event.data.unitPrice) });
        this.orderEvidence.push(evidence);
        return;
      }
      case 'OrderConfirmed':
        this.confirmedAt ??= at;
        return;
      case 'OrderCancelled':
        this.cancelledAt ??= at;
        this.cancellation ??= evidence;
        return;
      case 'PaymentAuthorized':
      case 'FraudCheckCompleted':
      case 'PaymentCaptured':
      case 'PaymentRefunded':
      case 'PaymentVoided':
      case 'PaymentFailed': {
        this.firstPaymentAt ??= at;
        const payment = this.payment(event.aggregateId);
        payment.evidence.push(evidence);
        if (event.type === 'PaymentAuthorized') {
          payment.authorizedAt = at;
          payment.authorizedCents = moneyToCents(event.data.amount);
          payment.expiresAt = Date.parse(event.data.authorizationExpiresAt);
        } else if (event.type === 'PaymentCaptured') {
          payment.capturedCents += moneyToCents(event.data.amount);
          payment.captures++;
        } else if (event.type === 'PaymentRefunded') payment.refundedCents += moneyToCents(event.data.amount);
        else if (event.type === 'PaymentVoided') payment.voidedAt ??= at;
        else if (event.type === 'PaymentFailed') payment.failedAt ??= at;
        return;
      }
      case 'ShipmentCreated':
      case 'ShipmentPicked':
      case 'ShipmentDispatched':
      case 'ShipmentDelivered':
      case 'ShipmentCancelled': {
        this.firstShipmentAt ??= at;
        const shipment = this.shipment(event.aggregateId);
        shipment.evidence.push(evidence);
        if (event.type === 'ShipmentCreated') for (const line of event.data.lines) shipment.lines.set(line.lineId, (shipment.lines.get(line.lineId) ?? 0) + line.quantity);
        else if (event.type === 'ShipmentDispatched') shipment.dispatchedAt ??= at;
        else if (event.type === 'ShipmentDelivered') shipment.deliveredAt ??= at;
        else if (event.type === 'ShipmentCancelled') shipment.cancelledAt ??= at;
      }
    }
  }

  /** The sum of the current lines: quantity × unit price after amendments; a cancellation does not change it. */
  totalCents(): number {
    let total = 0;
    for (const line of this.lines.values()) total += line.quantity * line.unitPriceCents;
    return total;
  }

  capturedCents(): number {
    let sum = 0;
    for (const p of this.payments.values()) sum += p.capturedCents;
    return sum;
  }

  refundedCents(): number {
    let sum = 0;
    for (const p of this.payments.values()) sum += p.refundedCents;
    return sum;
  }

  /** Captures minus refunds over all of the order's payments. */
  netCents(): number {
    return this.capturedCents() - this.refundedCents();
  }

  hasCapture(): boolean {
    for (const p of this.payments.values()) if (p.captures > 0) return true;
    return false;
  }

  /** Per line id, the quantity of shipments matching `counted` (dispatched, delivered). */
  quantities(counted: (s: SituationShipment) => boolean): Map<string, number> {
    const sums = new Map<string, number>();
    for (const shipment of this.shipments.values()) {
      if (!counted(shipment)) continue;
      for (const [lineId, quantity] of shipment.lines) sums.set(lineId, (sums.get(lineId) ?? 0) + quantity);
    }
    return sums;
  }

  dispatched(): Map<string, number> {
    return this.quantities((s) => s.dispatchedAt !== null);
  }

  delivered(): Map<string, number> {
    return this.quantities((s) => s.deliveredAt !== null);
  }

  /** Every ordered line (quantity > 0) covered in full by `quantities`; over-delivery counts as full. */
  covers(quantities: ReadonlyMap<string, number>): boolean {
    for (const line of this.lines.values()) if (line.quantity > 0 && (quantities.get(line.lineId) ?? 0) < line.quantity) return false;
    return true;
  }

  fullyShipped(): boolean {
    return this.covers(this.dispatched());
  }

  fullyDelivered(): boolean {
    return this.placed !== null && this.delivered().size > 0 && this.covers(this.delivered());
  }

  /** Lines whose dispatched quantity exceeds the ordered one (unknown or removed lines: ordered 0). */
  overshippedLines(): string[] {
    const over: string[] = [];
    for (const [lineId, quantity] of this.dispatched()) if (quantity > (this.lines.get(lineId)?.quantity ?? 0)) over.push(lineId);
    return over.sort();
  }

  /**
   * Value, at the order's current prices, of the lines of shipments dispatched strictly before
   * `before`, each line's quantity capped at its ordered quantity. The rule says "the value of
   * the lines dispatched"; read as a finance team would: a payment may be kept for goods that were
   * both ordered and sent. An over-shipped unit, a removed line (ordered 0) or a line the order
   * does not have is not something the customer agreed to pay for (OVERSHIPPED_LINE is raised
   * for it); without the cap an extra unit would silently offset a line paid for and never sent.
   */
  dispatchedValueBeforeCents(before: number): number {
    let value = 0;
    for (const [lineId, quantity] of this.quantities((s) => s.dispatchedAt !== null && s.dispatchedAt < before)) {
      const line = this.lines.get(lineId);
      if (line) value += Math.min(quantity, line.quantity) * line.unitPriceCents;
    }
    return value;
  }

  private payment(paymentId: string): SituationPayment {
    let payment = this.payments.get(paymentId);
    if (!payment) {
      payment = { paymentId, authorizedAt: null, authorizedCents: 0, expiresAt: null, capturedCents: 0, refundedCents: 0, captures: 0, voidedAt: null, failedAt: null, evidence: [] };
      this.payments.set(paymentId, payment);
    }
    return payment;
  }

  private shipment(shipmentId: string): SituationShipment {
    let shipment = this.shipments.get(shipmentId);
    if (!shipment) {
      shipment = { shipmentId, lines: new Map(), dispatchedAt: null, deliveredAt: null, cancelledAt: null, evidence: [] };
      this.shipments.set(shipmentId, shipment);
    }
    return shipment;
  }
}
