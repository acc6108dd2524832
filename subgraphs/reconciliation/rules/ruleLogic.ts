import type { Evidence, TimedFact } from './OrderFact.js';
import type { OrderSituation } from './OrderSituation.js';
import type { RuleCode } from './ruleCatalog.js';

const HOUR = 3_600_000;

/** What the situation was before the facts of the current instant applied. */
export interface Before {
  fullyDelivered: boolean;
  firstPaymentAt: number | null;
  firstShipmentAt: number | null;
}

/**
 * One rule's decision logic. A subject is what the rule is about within an order: '' for the
 * order itself, a payment id for a rule per authorization.
 *
 * - `schedule`: the deadlines the facts of instant T start (rules with a deadline);
 *   `immediate` rules are decided at every instant instead.
 * - `opens`: whether the exception opens, checked at a deadline (or every instant, if immediate)
 *   while it has never been open.
 * - `holds`: once it has been open, whether it still holds: checked at every instant after, to
 *   resolve it (false) or reopen it (true again).
 * - `restartsClock`: a subject has one clock at a time; a new start replaces the one running
 *   (the rule counts from the latest fact that started it, not from one since undone).
 */
export interface RuleLogic {
  code: RuleCode;
  immediate: boolean;
  restartsClock?: boolean;
  schedule(applied: readonly TimedFact[], s: OrderSituation, at: number, before: Before): Array<{ subject: string; at: number }>;
  opens(s: OrderSituation, subject: string): boolean;
  holds(s: OrderSituation, subject: string): boolean;
  evidence(s: OrderSituation, subject: string): Evidence[];
}

const none = (): Array<{ subject: string; at: number }> => [];
const paymentEvidence = (s: OrderSituation) => [...s.payments.values()].flatMap((p) => p.evidence);
const shipmentEvidence = (s: OrderSituation, which: (dispatchedAt: number | null) => boolean = () => true) => [...s.shipments.values()].filter((x) => which(x.dispatchedAt)).flatMap((x) => x.evidence);
const orderEvidence = (s: OrderSituation) => [...s.orderEvidence, ...(s.cancellation ? [s.cancellation] : [])];

export const RULE_LOGIC: readonly RuleLogic[] = [
  {
    code: 'SHIPPED_NOT_CAPTURED',
    immediate: false,
    schedule: (applied) => applied.filter((f) => f.event.type === 'ShipmentDispatched').map((f) => ({ subject: '', at: f.at + 24 * HOUR })),
    opens: (s) => !s.hasCapture(),
    holds: (s) => !s.hasCapture(),
    evidence: (s) => [...shipmentEvidence(s, (d) => d !== null), ...paymentEvidence(s)],
  },
  {
    code: 'CANCELLED_NOT_REFUNDED',
    immediate: false,
    schedule: (applied) => applied.filter((f) => f.event.type === 'OrderCancelled').map((f) => ({ subject: '', at: f.at + 48 * HOUR })),
    opens: (s) => s.cancelledAt !== null && s.netCents() > s.dispatchedValueBeforeCents(s.cancelledAt),
    holds: (s) => s.cancelledAt !== null && s.netCents() > s.dispatchedValueBeforeCents(s.cancelledAt),
    evidence: (s) => [...orderEvidence(s), ...paymentEvidence(s), ...shipmentEvidence(s, (d) => d !== null)],
  },
  {
    code: 'SHIPPED_AFTER_CANCEL',
    immediate: true,
    schedule: none,
    opens: (s) => s.cancelledAt !== null && [...s.shipments.values()].some((x) => x.dispatchedAt !== null && x.dispatchedAt >= s.cancelledAt!),
    // Never resolves by itself: goods left after the cancellation; a steward acknowledges it.
    holds: () => true,
    evidence: (s) => [...(s.cancellation ? [s.cancellation] : []), ...shipmentEvidence(s, (d) => d !== null && s.cancelledAt !== null && d >= s.cancelledAt)],
  },
  {
    code: 'CAPTURE_EXCEEDS_ORDER',
    immediate: true,
    schedule: none,
    opens: (s) => s.placed !== null && s.netCents() > s.totalCents(),
    holds: (s) => s.placed !== null && s.netCents() > s.totalCents(),
    evidence: (s) => [...orderEvidence(s), ...paymentEvidence(s)],
  },
  {
    code: 'DELIVERED_AMOUNT_MISMATCH',
    immediate: false,
    // Completed, left short by an amendment, completed again: the 72 h run from "the delivery that
    // completed it", the latest one; the earlier completion's deadline must not decide early.
    restartsClock: true,
    schedule(_applied, s, at, before) {
      if (before.fullyDelivered || !s.fullyDelivered()) return [];
      // The delivery that completed the order: the latest one so far (an amendment that lowers a
      // quantity can complete it too, without a delivery at this instant).
      const completedAt = Math.max(...[...s.shipments.values()].map((x) => x.deliveredAt ?? -Infinity));
      return [{ subject: '', at: Math.max(at, completedAt + 72 * HOUR) }];
    },
    opens: (s) => s.fullyDelivered() && s.netCents() !== s.totalCents(),
    holds: (s) => s.fullyDelivered() && s.netCents() !== s.totalCents(),
    evidence: (s) => [...orderEvidence(s), ...paymentEvidence(s), ...shipmentEvidence(s)],
  },
  {
    code: 'OVERSHIPPED_LINE',
    immediate: true,
    schedule: none,
    opens: (s) => s.placed !== null && s.overshippedLines().length > 0,
    holds: (s) => s.placed !== null && s.overshippedLines().length > 0,
    evidence: (s) => [...orderEvidence(s), ...shipmentEvidence(s, (d) => d !== null)],
  },
  {
    code: 'AUTHORIZATION_EXPIRED_UNSHIPPED',
    immediate: false,
    schedule: (applied, s, at) =>
      applied.filter((f) => f.event.type === 'PaymentAuthorized').map((f) => ({ subject: f.event.aggregateId, at: Math.max(at, s.payments.get(f.event.aggregateId)?.expiresAt ?? at) })),
    opens(s, subject) {
      const p = s.payments.get(subject);
      return p !== undefined && p.captures === 0 && p.voidedAt === null && p.failedAt === null && s.confirmedAt !== null && s.cancelledAt === null && !s.fullyShipped();
    },
    holds: (s) => s.cancelledAt === null && !s.fullyShipped(),
    evidence: (s, subject) => [...(s.payments.get(subject)?.evidence ?? []), ...orderEvidence(s), ...shipmentEvidence(s, (d) => d !== null)],
  },
  {
    code: 'ORPHAN_PAYMENT',
    immediate: false,
    schedule: (_applied, s, _at, before) => (before.firstPaymentAt === null && s.firstPaymentAt !== null ? [{ subject: '', at: s.firstPaymentAt + 24 * HOUR }] : []),
    opens: (s) => s.placed === null,
    holds: (s) => s.placed === null,
    evidence: (s) => paymentEvidence(s),
  },
  {
    code: 'ORPHAN_SHIPMENT',
    immediate: false,
    schedule: (_applied, s, _at, before) => (before.firstShipmentAt === null && s.firstShipmentAt !== null ? [{ subject: '', at: s.firstShipmentAt + 24 * HOUR }] : []),
    opens: (s) => s.placed === null,
    holds: (s) => s.placed === null,
    evidence: (s) => shipmentEvidence(s),
  },
];
