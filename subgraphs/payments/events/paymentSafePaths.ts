/**
 * Paths of a `payments.events.v1` record whose values are safe to show: the envelope, codes, ids,
 * amounts and times. The quarantine listing shows these (BoundedContext.quarantineDisplay) and a
 * quarantine reason may quote them; nothing else of a payment is ever shown by default.
 *
 * Left out on purpose: `data.card.*` (holderName is personal data; brand and last4 add nothing to
 * triage and, beside a name, identify a card) and `data.pspReference` (a handle on the transaction
 * at the payment provider: with it, anyone with provider access finds the card and the customer;
 * the aggregate id already identifies the payment for triage).
 */
export const PAYMENT_SAFE_PATHS = [
  'eventId', 'type', 'schemaVersion', 'aggregateId', 'sequence', 'occurredAt', 'producedAt', 'correlationId', 'causationId', 'source',
  'data.orderId', 'data.amount', 'data.currency', 'data.method', 'data.authorizationExpiresAt',
  'data.outcome', 'data.score', 'data.captureId', 'data.refundId', 'data.reason', 'data.failureCode',
] as const;
