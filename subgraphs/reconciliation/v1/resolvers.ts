import { centsToMoney } from '../../../platform/events/index.js';
import { checkedIds, dateTimeScalar } from '../../../platform/subgraph/index.js';
import type { OrderAgreement } from '../rules/orderAgreement.js';
import type { Resolvers } from './generated/resolvers.js';

const money = (agreement: OrderAgreement, cents: number) => (agreement.currency === null ? null : { amount: centsToMoney(cents), currency: agreement.currency });

/** v1: exceptions with their acknowledgement and age, counts, per-order agreement, the watermark; one write. */
export const reconciliationV1Resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Query: {
    reconciliationExceptions: (_root, { filter, first, after }, loaders) => loaders.exceptions(filter ?? {}, first, after ?? null),
    reconciliationException: (_root, { exceptionId }, loaders) => loaders.exceptionById.load(exceptionId),
    reconciliationExceptionCounts: (_root, { filter }, loaders) => loaders.counts(filter ?? {}),
    orderAgreementsByOrderIds: (_root, { orderIds }, loaders) => loaders.agreementByOrderId.loadMany(checkedIds('orderAgreementsByOrderIds(orderIds)', orderIds)).then((rows) => rows.map((r) => (r instanceof Error ? Promise.reject(r) : r))),
    reconciliationWatermark: async (_root, _args, loaders) => ({ watermark: await loaders.watermark() }),
  },
  Mutation: {
    acknowledgeException: (_root, { exceptionId, note }, loaders) => loaders.acknowledge(exceptionId, note),
  },
  ReconciliationException: {
    paymentId: (e) => (e.subject === '' ? null : e.subject),
  },
  EvidenceEvent: {
    offset: (e) => String(e.offset),
  },
  OrderAgreement: {
    placedAt: (a) => a.placedAt,
    ordered: (a) => money(a, a.orderedCents),
    authorized: (a) => money(a, a.authorizedCents),
    captured: (a) => money(a, a.capturedCents),
    refunded: (a) => money(a, a.refundedCents),
    net: (a) => money(a, a.capturedCents - a.refundedCents),
    shipped: (a) => money(a, a.shippedCents),
    delivered: (a) => money(a, a.deliveredCents),
    paymentAttempts: (a) => a.payments,
    exceptions: (a, _args, loaders) => loaders.exceptionsByOrderId.load(a.orderId),
  },
  LineAgreement: {
    unitPrice: (l) => centsToMoney(l.unitPriceCents),
  },
};
