export { paymentsContextModule } from './paymentsContextModule.js';
export { PAYMENT_EVENT_TYPES, PAYMENT_SOURCE_SYSTEMS, PAYMENTS_EVENTS_TOPIC } from './events/PaymentEvent.js';
export type {
  FraudCheckCompleted, FraudOutcome, PaymentAuthorized, PaymentCaptured, PaymentCard, PaymentEvent, PaymentEventType, PaymentFailed, PaymentFailureCode,
  PaymentMethod, PaymentRefunded, PaymentVoided, RefundReason,
} from './events/PaymentEvent.js';
export { decodePaymentRecord } from './events/decodePaymentRecord.js';
export { evolvePaymentAttempt, PAYMENT_ATTEMPTS_TABLES, paymentAttemptsProjection } from './projections/paymentAttemptsProjection.js';
export type { PaymentAttemptState, PaymentLifecycleState } from './projections/paymentAttemptsProjection.js';
export { paymentsV1Subgraph } from './paymentsV1Subgraph.js';
export { createPaymentAttemptsLoaders } from './projections/createPaymentAttemptsLoaders.js';
export type {
  FraudCheckRecord, OrderPaymentsRecord, PaymentAttemptsLoaders, PaymentCaptureRecord, PaymentCardRecord, PaymentRecord, PaymentRefundRecord, PaymentStatusChangeRecord,
} from './projections/createPaymentAttemptsLoaders.js';
export type { PaymentHistory, PaymentStep } from './simulator/PaymentHistory.js';
export { renderPaymentEvents } from './simulator/renderPaymentEvents.js';
export { poisonPaymentRecord } from './simulator/poisonPaymentRecord.js';
