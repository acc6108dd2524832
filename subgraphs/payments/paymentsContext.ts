import type { BoundedContext } from '../../platform/projection/index.js';
import { paymentEventsDecoder } from './events/decodePaymentRecord.js';
import type { PaymentEvent } from './events/PaymentEvent.js';
import { PAYMENTS_EVENTS_TOPIC } from './events/PaymentEvent.js';
import { PAYMENT_SAFE_PATHS } from './events/paymentSafePaths.js';
import { paymentAttemptsProjection } from './projections/paymentAttemptsProjection.js';

/** The payments bounded context as the projector runs it: its topic and its projection. */
export const paymentsContext: BoundedContext<PaymentEvent> = {
  name: 'payments',
  decoders: [paymentEventsDecoder],
  projections: [paymentAttemptsProjection],
  // Envelope, codes, ids, amounts and times; never the card or the PSP reference (see PAYMENT_SAFE_PATHS for why).
  quarantineDisplay: { [PAYMENTS_EVENTS_TOPIC]: PAYMENT_SAFE_PATHS },
};
