import { z } from 'zod';
import { currencySchema, moneySchema, timestampSchema } from '../../../platform/events/index.js';
import type { PaymentEventType } from './PaymentEvent.js';
import { FRAUD_OUTCOMES, PAYMENT_FAILURE_CODES, PAYMENT_METHODS, REFUND_REASONS } from './PaymentEvent.js';

/** An amount moved or reserved: producer money (a decimal string, never a float), above zero. */
const positiveMoneySchema = moneySchema.refine((amount) => !amount.startsWith('-') && /[1-9]/.test(amount), 'amount must be above 0.00');

const cardSchema = z.object({
  brand: z.string().min(1),
  last4: z.string().regex(/^\d{4}$/, 'last4 must be the last four digits of the card number'),
  holderName: z.string().min(1),
});

/** `data` shapes per event type and schemaVersion. A version not listed here is quarantined. */
export const paymentEventDataSchemas = {
  PaymentAuthorized: {
    1: z
      .object({
        orderId: z.string().min(1),
        amount: positiveMoneySchema,
        currency: currencySchema,
        method: z.enum(PAYMENT_METHODS),
        pspReference: z.string().min(1),
        card: cardSchema.nullable(),
        authorizationExpiresAt: timestampSchema,
      })
      .superRefine((data, ctx) => {
        if (data.method === 'card' && data.card === null) ctx.addIssue({ code: 'custom', path: ['card'], message: 'a card payment carries card { brand, last4, holderName }, received null' });
        if (data.method !== 'card' && data.card !== null) ctx.addIssue({ code: 'custom', path: ['card'], message: `card must be null unless method is card (method is ${data.method})` });
      }),
  },
  FraudCheckCompleted: {
    1: z.object({ outcome: z.enum(FRAUD_OUTCOMES), score: z.number().int().min(0).max(100) }),
  },
  PaymentCaptured: {
    1: z.object({ captureId: z.string().min(1), amount: positiveMoneySchema }),
  },
  PaymentRefunded: {
    1: z.object({ refundId: z.string().min(1), amount: positiveMoneySchema, reason: z.enum(REFUND_REASONS) }),
  },
  PaymentVoided: {
    1: z.object({}).strict(),
  },
  PaymentFailed: {
    // orderId, amount and currency come together (a payment declined at once), or not at all.
    1: z
      .object({ failureCode: z.enum(PAYMENT_FAILURE_CODES), orderId: z.string().min(1).optional(), amount: positiveMoneySchema.optional(), currency: currencySchema.optional() })
      .refine(
        (data) => [data.orderId, data.amount, data.currency].every((v) => v === undefined) || [data.orderId, data.amount, data.currency].every((v) => v !== undefined),
        'orderId, amount and currency come together (a payment declined at once) or not at all',
      ),
  },
} as const satisfies Record<PaymentEventType, Record<number, z.ZodType>>;
