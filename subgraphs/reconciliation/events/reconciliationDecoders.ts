import type { DecodeResult, StatefulDecoder, StatelessDecoder, TopicDecoder } from '../../../platform/projection/index.js';
import { decodeShipmentRecord, FULFILLMENT_EVENTS_TOPIC } from '../../fulfillment/index.js';
import type { OrderEvent } from '../../orders/index.js';
import { decodeOrderRecord, legacyOmsCdcTranslator, ORDERS_EVENTS_TOPIC } from '../../orders/index.js';
import { decodePaymentRecord, PAYMENTS_EVENTS_TOPIC } from '../../payments/index.js';
import type { ReconciliationEvent } from './ReconciliationEvent.js';
import { withoutPersonalData } from './withoutPersonalData.js';

/** The owner's decoding, its personal data blanked. */
function stripped(result: DecodeResult<ReconciliationEvent>): DecodeResult<ReconciliationEvent> {
  return result.kind === 'events' ? { kind: 'events', events: result.events.map(withoutPersonalData) } : result;
}

const stateless = (topic: string, decode: StatelessDecoder<ReconciliationEvent>['decode']): StatelessDecoder<ReconciliationEvent> => ({
  kind: 'stateless',
  topic,
  decode: (record) => stripped(decode(record)),
});

/**
 * The legacy OMS's change stream, translated by the orders context's own translator (its public
 * surface): one copy of the legacy code mapping, and legacy orders mean here what they mean to
 * orders. Chosen over an outbox topic of translated events because the watermark must run on the
 * producers' partitions and event times, and a second topic would add a hop and a copy to keep.
 * Releases to the warehouse (STATUS_CD 4) are not read here: no rule needs them.
 */
const legacyOrders: StatefulDecoder<ReconciliationEvent, unknown> = {
  kind: 'stateful',
  topic: legacyOmsCdcTranslator.topic,
  stateKey: (record) => legacyOmsCdcTranslator.stateKey(record),
  decode(record, state) {
    const { result, state: next } = legacyOmsCdcTranslator.decode(record, state as Parameters<typeof legacyOmsCdcTranslator.decode>[1]);
    return { result: stripped(result as DecodeResult<OrderEvent>), state: next };
  },
};

/** The four topics of order-to-cash, each decoded by the context that owns it. */
export const reconciliationDecoders: TopicDecoder<ReconciliationEvent>[] = [
  stateless(ORDERS_EVENTS_TOPIC, decodeOrderRecord),
  legacyOrders,
  stateless(PAYMENTS_EVENTS_TOPIC, decodePaymentRecord),
  stateless(FULFILLMENT_EVENTS_TOPIC, decodeShipmentRecord),
];
