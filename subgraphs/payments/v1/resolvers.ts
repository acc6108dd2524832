import { checkedIds, checkedTimeWindow, dateTimeScalar } from '../../../platform/subgraph/index.js';
import type { FraudOutcome, PaymentEventType, PaymentFailureCode, PaymentLifecycleState, PaymentMethod, RefundReason, Resolvers } from './generated/resolvers.js';

/** A projection value (`bank_transfer`) as its schema enum value (`BANK_TRANSFER`). */
const upper = <T extends string>(value: string) => value.toUpperCase() as T;
const upperOrNull = <T extends string>(value: string | null) => (value === null ? null : upper<T>(value));
/** An event type (`PaymentAuthorized`) as its schema enum value (`PAYMENT_AUTHORIZED`). */
const eventTypeValue = (type: string) => upper<PaymentEventType>(type.replace(/([a-z])([A-Z])/g, '$1_$2'));
const money = (amount: string, currency: string) => ({ amount, currency });

/** v1: one Payment per attempt, exact money with currency, an event time for every transition. */
export const paymentsV1Resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Query: {
    payment: (_root, { paymentId }, loaders) => loaders.paymentById.load(paymentId),
    // Batched into one statement; a failed load is an error at its own index, never a silent null.
    paymentsByIds: (_root, { paymentIds }, loaders) => {
      const ids = checkedIds('paymentsByIds(paymentIds)', paymentIds);
      return loaders.paymentById.loadMany(ids).then((payments) => payments.map((p) => (p instanceof Error ? Promise.reject(p) : p)));
    },
    paymentsByOrderIds: (_root, { orderIds }) => checkedIds('paymentsByOrderIds(orderIds)', orderIds).map((orderId) => ({ orderId })),
    orderIdsWithMoneyMovementBetween: (_root, args, loaders) => {
      const { from, until } = checkedTimeWindow('orderIdsWithMoneyMovementBetween', args.from, args.until);
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
