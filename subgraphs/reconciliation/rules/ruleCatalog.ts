/** The reconciliation rules (issue "Reconciliation as a first-class context", DESIGN §11). */
export const RULE_CODES = [
  'SHIPPED_NOT_CAPTURED',
  'CANCELLED_NOT_REFUNDED',
  'SHIPPED_AFTER_CANCEL',
  'CAPTURE_EXCEEDS_ORDER',
  'DELIVERED_AMOUNT_MISMATCH',
  'OVERSHIPPED_LINE',
  'AUTHORIZATION_EXPIRED_UNSHIPPED',
  'ORPHAN_PAYMENT',
  'ORPHAN_SHIPMENT',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/**
 * How bad an open exception is, for whoever owns it:
 * - CRITICAL: a customer holds less money than they should (charged for what they will not get);
 * - HIGH: the business loses goods or money unless someone acts (shipped unpaid, shipped after
 *   cancellation, goods for an order nobody placed);
 * - MEDIUM: the books or the stock disagree and need a correction, nobody is harmed yet;
 * - LOW: housekeeping.
 */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The context accountable for resolving an exception (the owners; finance is a team, not a context here). */
export type RuleOwner = 'payments' | 'fulfillment' | 'finance';

export interface RuleDescription {
  code: RuleCode;
  owner: RuleOwner;
  severity: Severity;
  /** When it is raised, in the terms of the rule. */
  raisedWhen: string;
  /** What resolves it automatically. */
  resolvedWhen: string;
  /** The event-time delay after the fact that starts the clock, or null for a rule decided at once. */
  deadlineHours: number | null;
}

export const RULES: Readonly<Record<RuleCode, RuleDescription>> = {
  SHIPPED_NOT_CAPTURED: {
    code: 'SHIPPED_NOT_CAPTURED', owner: 'payments', severity: 'HIGH', deadlineHours: 24,
    raisedWhen: 'A shipment of the order was dispatched and the order has no capture (on any payment) by dispatch + 24 h (a capture at exactly that time counts).',
    resolvedWhen: 'A capture on the order.',
  },
  CANCELLED_NOT_REFUNDED: {
    code: 'CANCELLED_NOT_REFUNDED', owner: 'payments', severity: 'CRITICAL', deadlineHours: 48,
    raisedWhen: 'The order is cancelled and, at cancellation + 48 h, its captures minus refunds exceed the value (at the order\'s prices, each line up to its ordered quantity) of the lines dispatched before the cancellation.',
    resolvedWhen: 'Captures minus refunds no longer exceed that value (a refund).',
  },
  SHIPPED_AFTER_CANCEL: {
    code: 'SHIPPED_AFTER_CANCEL', owner: 'fulfillment', severity: 'HIGH', deadlineHours: null,
    raisedWhen: 'A shipment is dispatched at or after the order\'s cancellation (event time).',
    resolvedWhen: 'Never: it stays open until a steward acknowledges it.',
  },
  CAPTURE_EXCEEDS_ORDER: {
    code: 'CAPTURE_EXCEEDS_ORDER', owner: 'payments', severity: 'CRITICAL', deadlineHours: null,
    raisedWhen: 'Captures minus refunds over all of the order\'s payments exceed the order total (sum of its current lines), at any time.',
    resolvedWhen: 'They no longer do (a refund, an amendment that raises the total).',
  },
  DELIVERED_AMOUNT_MISMATCH: {
    code: 'DELIVERED_AMOUNT_MISMATCH', owner: 'finance', severity: 'MEDIUM', deadlineHours: 72,
    raisedWhen: 'Every ordered line is delivered in full (over-delivery counts as full) and, 72 h after the delivery that completed the order, captures minus refunds differ from the order total.',
    resolvedWhen: 'Captures minus refunds equal the total again, or the order is no longer fully delivered (an amendment).',
  },
  OVERSHIPPED_LINE: {
    code: 'OVERSHIPPED_LINE', owner: 'fulfillment', severity: 'MEDIUM', deadlineHours: null,
    raisedWhen: 'The quantity dispatched for a line exceeds its ordered quantity after amendments (a line the order does not have, or removed, has ordered quantity 0).',
    resolvedWhen: 'No line is over-shipped any more (an amendment).',
  },
  AUTHORIZATION_EXPIRED_UNSHIPPED: {
    code: 'AUTHORIZATION_EXPIRED_UNSHIPPED', owner: 'payments', severity: 'MEDIUM', deadlineHours: 0,
    raisedWhen: 'An authorization (each separately) reached its authorizationExpiresAt with no capture on it, not voided or failed, while its order was confirmed, not cancelled and not fully shipped.',
    resolvedWhen: 'The order is cancelled or fully shipped.',
  },
  ORPHAN_PAYMENT: {
    code: 'ORPHAN_PAYMENT', owner: 'payments', severity: 'MEDIUM', deadlineHours: 24,
    raisedWhen: 'No OrderPlaced (or its legacy equivalent) for the payment\'s orderId by the first payment event of that order + 24 h.',
    resolvedWhen: 'The order arrives.',
  },
  ORPHAN_SHIPMENT: {
    code: 'ORPHAN_SHIPMENT', owner: 'fulfillment', severity: 'HIGH', deadlineHours: 24,
    raisedWhen: 'No OrderPlaced (or its legacy equivalent) for the shipment\'s orderId by the first shipment event of that order + 24 h.',
    resolvedWhen: 'The order arrives.',
  },
};

/** A stable exception id: the same after a rebuild, and readable in a ticket. */
export function exceptionId(rule: RuleCode, orderId: string, subject: string): string {
  return subject === '' ? `${rule}:${orderId}` : `${rule}:${orderId}:${subject}`;
}
