import { z } from 'zod';
import { COUNTRY_PATTERN, countrySchema, CURRENCY_PATTERN, currencySchema, hasKeyCount, int4Schema, isInt4AtLeast, isStringOfLength, matches, MONEY_PATTERN, moneySchema } from '../../../platform/events/index.js';

/** `data` shapes per event type and schemaVersion. A version not listed here is quarantined. */
export const orderEventDataSchemas = {
  OrderPlaced: {
    1: z.object({
      customerId: z.string().min(1),
      channel: z.enum(['web', 'store', 'marketplace']),
      currency: currencySchema,
      lines: z
        .array(z.object({ lineId: z.string().min(1), sku: z.string().min(1), quantity: int4Schema(1), unitPrice: moneySchema }))
        .min(1, 'an order has at least one line')
        .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'lineIds must be unique'),
      customerEmail: z.string().min(3),
      shippingAddress: z.object({ line1: z.string().min(1), city: z.string().min(1), postalCode: z.string().min(1), country: countrySchema }),
    }),
  },
  OrderLineAmended: {
    1: z.object({ lineId: z.string().min(1), quantity: int4Schema(0), unitPrice: moneySchema }),
  },
  OrderConfirmed: {
    1: z.object({}).strict(),
  },
  OrderCancelled: {
    1: z.object({ reason: z.enum(['customer_request', 'fraud', 'out_of_stock', 'payment_failed']) }),
  },
} as const;

const CHANNELS: ReadonlySet<unknown> = new Set(orderEventDataSchemas.OrderPlaced[1].shape.channel.options);
const CANCELLATION_REASONS: ReadonlySet<unknown> = new Set(orderEventDataSchemas.OrderCancelled[1].shape.reason.options);

/**
 * The fast twin of each schema above (platform/events/fastChecks.ts): true when the schema would
 * accept `data` and its output would equal `data` itself (same keys, same values), so the decoder
 * can keep the parsed object; false sends `data` through the schema, which words the reason.
 * A change to a schema needs the same change here: orderEventSchemas.unit.test.ts compares both.
 */
export const orderEventDataAcceptors: { readonly [T in keyof typeof orderEventDataSchemas]: { readonly [V in keyof (typeof orderEventDataSchemas)[T]]: (data: unknown) => boolean } } = {
  OrderPlaced: {
    1: (data) => {
      if (!hasKeyCount(data, 6)) return false;
      const { customerId, channel, currency, lines, customerEmail, shippingAddress } = data;
      return (
        isStringOfLength(customerId, 1) &&
        CHANNELS.has(channel) &&
        matches(currency, CURRENCY_PATTERN) &&
        acceptsPlacedLines(lines) &&
        isStringOfLength(customerEmail, 3) &&
        hasKeyCount(shippingAddress, 4) &&
        isStringOfLength(shippingAddress.line1, 1) &&
        isStringOfLength(shippingAddress.city, 1) &&
        isStringOfLength(shippingAddress.postalCode, 1) &&
        matches(shippingAddress.country, COUNTRY_PATTERN)
      );
    },
  },
  OrderLineAmended: {
    1: (data) => hasKeyCount(data, 3) && isStringOfLength(data.lineId, 1) && isInt4AtLeast(data.quantity, 0) && matches(data.unitPrice, MONEY_PATTERN),
  },
  OrderConfirmed: {
    1: (data) => hasKeyCount(data, 0),
  },
  OrderCancelled: {
    1: (data) => hasKeyCount(data, 1) && CANCELLATION_REASONS.has(data.reason),
  },
};

function acceptsPlacedLines(lines: unknown): boolean {
  if (!Array.isArray(lines) || lines.length === 0) return false;
  for (const line of lines) {
    if (!hasKeyCount(line, 4) || !isStringOfLength(line.lineId, 1) || !isStringOfLength(line.sku, 1) || !isInt4AtLeast(line.quantity, 1) || !matches(line.unitPrice, MONEY_PATTERN)) return false;
  }
  // The refine's rule: no lineId twice.
  return new Set(lines.map((line: { lineId: string }) => line.lineId)).size === lines.length;
}
