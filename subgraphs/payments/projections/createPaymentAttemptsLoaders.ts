import DataLoader from 'dataloader';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import type { FraudOutcome, PaymentEventType, PaymentFailureCode, PaymentMethod, RefundReason } from '../events/PaymentEvent.js';
import type { PaymentLifecycleState } from './paymentAttemptsProjection.js';
import { PAYMENT_ATTEMPTS_TABLES as TABLE } from './paymentAttemptsProjection.js';

/** A payment attempt as the subgraph reads it from the projection. Money as exact decimal strings. */
export interface PaymentRecord {
  paymentId: string;
  orderId: string;
  currency: string;
  method: PaymentMethod | null;
  pspReference: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Personal data. */
  cardHolderName: string | null;
  requestedAmount: string;
  authorizedAmount: string | null;
  capturedAmount: string;
  refundedAmount: string;
  lifecycleState: PaymentLifecycleState;
  attemptedAt: Date;
  authorizedAt: Date | null;
  authorizationExpiresAt: Date | null;
  fraudOutcome: FraudOutcome | null;
  fraudScore: number | null;
  fraudCheckedAt: Date | null;
  voidedAt: Date | null;
  failedAt: Date | null;
  failureCode: PaymentFailureCode | null;
  lastEventOccurredAt: Date;
}

/** The card of a card payment, as the subgraph serves it (from its payment's record). */
export interface PaymentCardRecord {
  brand: string;
  last4: string;
  holderName: string;
}

/** The fraud verdict of a payment, as the subgraph serves it (from its payment's record). */
export interface FraudCheckRecord {
  outcome: FraudOutcome;
  score: number;
  checkedAt: Date;
}

export interface PaymentCaptureRecord {
  paymentId: string;
  captureId: string;
  amount: string;
  currency: string;
  capturedAt: Date;
  sequence: number;
}

export interface PaymentRefundRecord {
  paymentId: string;
  refundId: string;
  amount: string;
  currency: string;
  reason: RefundReason;
  refundedAt: Date;
  sequence: number;
}

export interface PaymentStatusChangeRecord {
  paymentId: string;
  sequence: number;
  eventType: PaymentEventType;
  lifecycleState: PaymentLifecycleState;
  occurredAt: Date;
}

/**
 * An order id asked for; its payment attempts are loaded (batched) when selected, and may be none:
 * payments never look at orders, and may precede their order or name one never seen.
 */
export interface OrderPaymentsRecord {
  orderId: string;
}

/**
 * The queries the payment attempts projection serves. Each loader batches by key: one statement
 * per table per request tick, whatever the number of ids. Create them per request, never share.
 */
export interface PaymentAttemptsLoaders {
  paymentById: DataLoader<string, PaymentRecord | null>;
  /** An order's payment attempts, oldest attempt first. */
  paymentsByOrderId: DataLoader<string, PaymentRecord[]>;
  /** In sequence order. */
  capturesByPaymentId: DataLoader<string, PaymentCaptureRecord[]>;
  refundsByPaymentId: DataLoader<string, PaymentRefundRecord[]>;
  statusHistoryByPaymentId: DataLoader<string, PaymentStatusChangeRecord[]>;
  /**
   * Ids of the orders with a capture or a refund (event time) in [from, until), on any of their
   * attempts, each once, in id order: one statement over the `payment_captures_captured_at_idx` and
   * `payment_refunds_refunded_at_idx` indexes, whatever the window holds.
   */
  orderIdsWithMoneyMovementBetween(from: Date, until: Date): Promise<string[]>;
}

// Aliased to the record's field names, so pg's row object is the record itself.
const PAYMENT_COLUMNS = `payment_id as "paymentId", order_id as "orderId", currency, method, psp_reference as "pspReference",
  card_brand as "cardBrand", card_last4 as "cardLast4", card_holder_name as "cardHolderName",
  requested_amount as "requestedAmount", authorized_amount as "authorizedAmount", captured_amount as "capturedAmount", refunded_amount as "refundedAmount",
  payment_lifecycle_state as "lifecycleState", attempted_at as "attemptedAt", authorized_at as "authorizedAt", authorization_expires_at as "authorizationExpiresAt",
  fraud_outcome as "fraudOutcome", fraud_score as "fraudScore", fraud_checked_at as "fraudCheckedAt",
  voided_at as "voidedAt", failed_at as "failedAt", failure_code as "failureCode", last_event_occurred_at as "lastEventOccurredAt"`;

function groupBy<T, K extends keyof T>(keys: readonly string[], rows: T[], key: K): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(String(row[key]))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function createPaymentAttemptsLoaders(db: Queryable, schema: string): PaymentAttemptsLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const paymentById = new DataLoader<string, PaymentRecord | null>(async (ids) => {
    const { rows } = await db.query<PaymentRecord & Record<string, unknown>>(`select ${PAYMENT_COLUMNS} from ${t(TABLE.payments)} where payment_id = any($1::text[])`, [ids]);
    const byId = new Map<string, PaymentRecord>(rows.map((r) => [r.paymentId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    paymentById,
    paymentsByOrderId: new DataLoader(async (orderIds) => {
      const { rows } = await db.query<PaymentRecord & Record<string, unknown>>(
        `select ${PAYMENT_COLUMNS} from ${t(TABLE.payments)} where order_id = any($1::text[]) order by order_id, attempted_at, payment_id`,
        [orderIds],
      );
      for (const payment of rows) paymentById.prime(payment.paymentId, payment);
      return groupBy(orderIds, rows, 'orderId');
    }),
    // Captures and refunds take their currency from their payment: one statement per batch all the same.
    capturesByPaymentId: new DataLoader(async (ids) => {
      const { rows } = await db.query<PaymentCaptureRecord & Record<string, unknown>>(
        `select c.payment_id as "paymentId", c.capture_id as "captureId", c.amount, p.currency, c.captured_at as "capturedAt", c.sequence
         from ${t(TABLE.captures)} c join ${t(TABLE.payments)} p using (payment_id) where c.payment_id = any($1::text[]) order by c.payment_id, c.sequence`,
        [ids],
      );
      return groupBy(ids, rows, 'paymentId');
    }),
    refundsByPaymentId: new DataLoader(async (ids) => {
      const { rows } = await db.query<PaymentRefundRecord & Record<string, unknown>>(
        `select r.payment_id as "paymentId", r.refund_id as "refundId", r.amount, p.currency, r.reason, r.refunded_at as "refundedAt", r.sequence
         from ${t(TABLE.refunds)} r join ${t(TABLE.payments)} p using (payment_id) where r.payment_id = any($1::text[]) order by r.payment_id, r.sequence`,
        [ids],
      );
      return groupBy(ids, rows, 'paymentId');
    }),
    statusHistoryByPaymentId: new DataLoader(async (ids) => {
      const { rows } = await db.query<PaymentStatusChangeRecord & Record<string, unknown>>(
        `select payment_id as "paymentId", sequence, event_type as "eventType", payment_lifecycle_state as "lifecycleState", occurred_at as "occurredAt"
         from ${t(TABLE.statusHistory)} where payment_id = any($1::text[]) order by payment_id, sequence`,
        [ids],
      );
      return groupBy(ids, rows, 'paymentId');
    }),
    async orderIdsWithMoneyMovementBetween(from, until) {
      const { rows } = await db.query<{ orderId: string }>(
        `select distinct p.order_id as "orderId"
         from (select payment_id from ${t(TABLE.captures)} where captured_at >= $1 and captured_at < $2
               union select payment_id from ${t(TABLE.refunds)} where refunded_at >= $1 and refunded_at < $2) moved
         join ${t(TABLE.payments)} p using (payment_id) order by 1`,
        [from.toISOString(), until.toISOString()],
      );
      return rows.map((r) => r.orderId);
    },
  };
}
