import type { TopicLineage } from '../../platform/subgraph/index.js';
import { FULFILLMENT_EVENTS_TOPIC, WAREHOUSE_SOURCE_SYSTEMS } from './events/FulfillmentEvent.js';
import { LEGACY_OMS_CDC_TOPIC, LEGACY_OMS_SOURCE } from './translators/legacyOmsReleaseTranslator.js';

/** Where the fulfillment context's events come from (the bottom of every fulfillment lineage chain). */
export const fulfillmentTopicLineage: TopicLineage[] = [
  {
    topic: FULFILLMENT_EVENTS_TOPIC,
    sourceSystems: Object.values(WAREHOUSE_SOURCE_SYSTEMS),
    events: ['ShipmentCreated', 'ShipmentPicked', 'ShipmentDispatched', 'ShipmentDelivered', 'ShipmentCancelled'],
  },
  { topic: LEGACY_OMS_CDC_TOPIC, sourceSystems: [`${LEGACY_OMS_SOURCE} (ORDERS.STATUS_CD 4 via CDC, translated)`], events: ['OrderReleasedToWarehouse'] },
];
