import type { BoundedContext } from '../../platform/projection/index.js';
import { orderEventsDecoder } from './events/decodeOrderEvent.js';
import type { OrderEvent } from './events/OrderEvent.js';
import { orderTimelineProjection } from './projections/orderTimelineProjection.js';
import { legacyOmsCdcTranslator } from './translators/legacyOmsCdcTranslator.js';

/** The orders bounded context: its topics (own events and the legacy CDC it translates) and its projections. */
export const ordersContext: BoundedContext<OrderEvent> = {
  name: 'orders',
  decoders: [orderEventsDecoder, legacyOmsCdcTranslator],
  projections: [orderTimelineProjection],
};
