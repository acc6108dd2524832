import type { OrderFact } from './OrderFact.js';
import { timeline } from './OrderFact.js';
import { OrderSituation } from './OrderSituation.js';

export interface LineAgreement {
  lineId: string;
  sku: string;
  /** After amendments; 0 for a removed line or one the order does not have. */
  orderedQuantity: number;
  unitPriceCents: number;
  shippedQuantity: number;
  deliveredQuantity: number;
}

/**
 * Where an order's contexts agree, as of every fact applied (not only those under the
 * watermark: this is the latest knowledge; exceptions are what is decided). Money in integer
 * cents of the order's currency; shipped means dispatched.
 */
export interface OrderAgreement {
  orderId: string;
  /** Null while no OrderPlaced (or legacy equivalent) is known. */
  placedAt: string | null;
  currency: string | null;
  confirmed: boolean;
  cancelled: boolean;
  orderedCents: number;
  /** Amounts of authorizations granted (voided or failed ones included: they were granted). */
  authorizedCents: number;
  capturedCents: number;
  refundedCents: number;
  /** Shipped (dispatched) and delivered quantities valued at the order's current prices. */
  shippedCents: number;
  deliveredCents: number;
  lines: LineAgreement[];
  payments: number;
  shipments: number;
}

export function agreementOf(orderId: string, facts: readonly OrderFact[]): OrderAgreement {
  const s = new OrderSituation(orderId);
  for (const fact of timeline(facts)) s.apply(fact);
  const shipped = s.dispatched();
  const delivered = s.delivered();
  const lineIds = [...new Set([...s.lines.keys(), ...shipped.keys(), ...delivered.keys()])].sort();
  const lines = lineIds.map((lineId): LineAgreement => {
    const line = s.lines.get(lineId);
    return { lineId, sku: line?.sku ?? '', orderedQuantity: line?.quantity ?? 0, unitPriceCents: line?.unitPriceCents ?? 0, shippedQuantity: shipped.get(lineId) ?? 0, deliveredQuantity: delivered.get(lineId) ?? 0 };
  });
  const valued = (quantities: ReadonlyMap<string, number>) => [...quantities].reduce((sum, [lineId, q]) => sum + q * (s.lines.get(lineId)?.unitPriceCents ?? 0), 0);
  return {
    orderId,
    placedAt: s.placed?.occurredAt ?? null,
    currency: s.currency,
    confirmed: s.confirmedAt !== null,
    cancelled: s.cancelledAt !== null,
    orderedCents: s.totalCents(),
    authorizedCents: [...s.payments.values()].reduce((sum, p) => sum + p.authorizedCents, 0),
    capturedCents: s.capturedCents(),
    refundedCents: s.refundedCents(),
    shippedCents: valued(shipped),
    deliveredCents: valued(delivered),
    lines,
    payments: s.payments.size,
    shipments: s.shipments.size,
  };
}
