import type { TopicLineage } from '../../platform/subgraph/index.js';
import { PAYMENT_EVENT_TYPES, PAYMENT_SOURCE_SYSTEMS, PAYMENTS_EVENTS_TOPIC } from './events/PaymentEvent.js';

/** Where the payments context's events come from (the bottom of every payments lineage chain). */
export const paymentsTopicLineage: TopicLineage[] = [{ topic: PAYMENTS_EVENTS_TOPIC, sourceSystems: [...new Set(Object.values(PAYMENT_SOURCE_SYSTEMS))], events: [...PAYMENT_EVENT_TYPES] }];
