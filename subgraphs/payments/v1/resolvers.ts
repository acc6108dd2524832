import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { FraudOutcome, PaymentEventType, PaymentFailureCode, PaymentLifecycleState, PaymentMethod, RefundReason, Resolvers } from './generated/resolvers.js';

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp, UTC, milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

/** A projection value (`bank_transfer`) as its schema enum value (`BANK_TRANSFER`). */
const upper = <T extends string>(value: string) => value.toUpperCase() as T;
const upperOrNull = <T extends string>(value: string | null) => (value === null ? null : upper<T>(value));
/** An event type (`PaymentAuthorized`) as its schema enum value (`PAYMENT_AUTHORIZED`). */
const eventTypeValue = (type: string) => upper<PaymentEventType>(type.replace(/([a-z])([A-Z])/g, '$1_$2'));
const money = (amount: string, currency: string) => ({ amount, currency });

/** Longest window of event time one `...Between` lookup may span: a month of business dates. */
const MAX_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

/** The [from, until) window of a lookup by event time, or a precise refusal. */
function checkedWindow(field: string, from: Date | string, until: Date | string): { from: Date; until: Date } {
  const window = { from: new Date(from), until: new Date(until) };
  for (const [name, value] of Object.entries(window)) {
    if (Number.isNaN(value.getTime())) throw new GraphQLError(`${field}(${name}) must be an RFC 3339 timestamp such as 2026-11-02T00:00:00.000Z.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const span = window.until.getTime() - window.from.getTime();
  if (span < 0) throw new GraphQLError(`${field} takes a window [from, until) with until not before from, received from ${window.from.toISOString()} and until ${window.until.toISOString()}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (span > MAX_WINDOW_DAYS * DAY_MS) throw new GraphQLError(`${field} spans at most ${MAX_WINDOW_DAYS} days, received ${window.from.toISOString()} to ${window.until.toISOString()}; split the window.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return window;
}

/** v1: one Payment per attempt, exact money with currency, an event time for every transition. */
export const paymentsV1Resolvers: Resolvers = {
  DateTime,
  Query: {
    payment: (_root, { paymentId }, loaders) => loaders.paymentById.load(paymentId),
    // Batched into one statement; a failed load is an error at its own index, never a silent null.
    paymentsByIds: (_root, { paymentIds }, loaders) => loaders.paymentById.loadMany(paymentIds).then((payments) => payments.map((p) => (p instanceof Error ? Promise.reject(p) : p))),
    paymentsByOrderIds: (_root, { orderIds }) => orderIds.map((orderId) => ({ orderId })),
    orderIdsWithMoneyMovementBetween: (_root, args, loaders) => {
      const { from, until } = checkedWindow('orderIdsWithMoneyMovementBetween', args.from, args.until);
      return loaders.orderIdsWithMoneyMovementBetween(from, until);
    },
  },
  OrderPayments: {
    payments: (entry, _args, loaders) => loaders.paymentsByOrderId.load(entry.orderId),
  },
  Payment: {
    method: (payment) => upperOrNull<PaymentMethod>(payment.method),
    lifecycleState: (payment) => upper<PaymentLifecycleState>(payment.lifecycleState),
    requestedAmount: (payment) => money(payment.requestedAmount, payment.currency),
    authorizedAmount: (payment) => (payment.authorizedAmount === null ? null : money(payment.authorizedAmount, payment.currency)),
    capturedAmount: (payment) => money(payment.capturedAmount, payment.currency),
    refundedAmount: (payment) => money(payment.refundedAmount, payment.currency),
    card: ({ cardBrand, cardLast4, cardHolderName }) => (cardBrand === null || cardLast4 === null || cardHolderName === null ? null : { brand: cardBrand, last4: cardLast4, holderName: cardHolderName }),
    fraudCheck: ({ fraudOutcome, fraudScore, fraudCheckedAt }) => (fraudOutcome === null || fraudScore === null || fraudCheckedAt === null ? null : { outcome: fraudOutcome, score: fraudScore, checkedAt: fraudCheckedAt }),
    failureCode: (payment) => upperOrNull<PaymentFailureCode>(payment.failureCode),
    captures: (payment, _args, loaders) => loaders.capturesByPaymentId.load(payment.paymentId),
    refunds: (payment, _args, loaders) => loaders.refundsByPaymentId.load(payment.paymentId),
    statusHistory: (payment, _args, loaders) => loaders.statusHistoryByPaymentId.load(payment.paymentId),
  },
  FraudCheck: {
    outcome: (check) => upper<FraudOutcome>(check.outcome),
  },
  PaymentCapture: {
    amount: (capture) => money(capture.amount, capture.currency),
  },
  PaymentRefund: {
    amount: (refund) => money(refund.amount, refund.currency),
    reason: (refund) => upper<RefundReason>(refund.reason),
  },
  PaymentStatusChange: {
    eventType: (change) => eventTypeValue(change.eventType),
    lifecycleState: (change) => upper<PaymentLifecycleState>(change.lifecycleState),
  },
};
