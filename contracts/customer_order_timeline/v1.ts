import type { DerivedFieldResolvers } from '../../gateway/contracts/index.js';

/** Resolvers for the @derived fields of customer_order_timeline v1 (and only those). */
export const derivedFields: DerivedFieldResolvers = {
  CustomerOrderTimeline: {
    // from: orders/v2:Order.placedAt, orders/v2:Order.confirmedAt
    minutesToCommitment: ([placedAt, confirmedAt]) => {
      if (placedAt == null || confirmedAt == null) return null;
      return Math.floor((new Date(confirmedAt as Date | string).getTime() - new Date(placedAt as Date | string).getTime()) / 60_000);
    },
  },
};
