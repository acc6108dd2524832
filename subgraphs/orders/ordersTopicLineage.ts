import type { TopicLineage } from '../../platform/subgraph/index.js';
import { ORDERS_EVENTS_TOPIC } from './events/OrderEvent.js';
import { LEGACY_OMS_CDC_TOPIC, LEGACY_OMS_SOURCE } from './translators/legacyOmsCdcTranslator.js';

const ORDER_EVENTS = ['OrderPlaced', 'OrderLineAmended', 'OrderConfirmed', 'OrderCancelled'];

/** Where the orders context's events come from (the bottom of every orders lineage chain). */
export const ordersTopicLineage: TopicLineage[] = [
  { topic: ORDERS_EVENTS_TOPIC, sourceSystems: ['web-checkout', 'store-pos', 'marketplace-bridge'], events: ORDER_EVENTS },
  { topic: LEGACY_OMS_CDC_TOPIC, sourceSystems: [`${LEGACY_OMS_SOURCE} (ORDERS, ORDER_LINES via CDC, translated)`], events: ORDER_EVENTS },
];
