import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Queryable } from '../../platform/database/index.js';
import type { SubgraphContextOptions, SubgraphVersion, TopicLineage } from '../../platform/subgraph/index.js';
import { validateRowScope } from '../../platform/subgraph/index.js';
import { FULFILLMENT_EVENTS_TOPIC, fulfillmentV1Subgraph } from '../fulfillment/index.js';
import { ordersV2Subgraph } from '../orders/index.js';
import { paymentsV1Subgraph } from '../payments/index.js';
import type { ReconciliationLoaders } from './projections/createReconciliationLoaders.js';
import { createReconciliationLoaders } from './projections/createReconciliationLoaders.js';
import { reconciliationV1Resolvers } from './v1/resolvers.js';

const ID = 'reconciliation/v1';
const sdl = readFileSync(new URL('./v1/schema.graphql', import.meta.url), 'utf8');

/** The topics it reads, as their owners describe them (the legacy CDC for its orders only: releases are not read). */
const reconciliationTopicLineage: TopicLineage[] = [
  ...ordersV2Subgraph.topics,
  ...paymentsV1Subgraph.topics,
  ...fulfillmentV1Subgraph.topics.filter((t) => t.topic === FULFILLMENT_EVENTS_TOPIC),
];

/** Internal only: no row-scope dimension, so no partner contract can read it. */
const reconciliationRowScopes = {};

/** reconciliation/v1: exceptions, their counts, per-order agreement, the watermark, and the steward's acknowledgement. */
export const reconciliationV1Subgraph: SubgraphVersion<ReconciliationLoaders> = {
  id: ID,
  context: 'reconciliation',
  version: 1,
  status: { kind: 'active' },
  sdl,
  schema: makeExecutableSchema({ typeDefs: sdl, resolvers: reconciliationV1Resolvers }),
  topics: reconciliationTopicLineage,
  rowScopes: reconciliationRowScopes,
  createContext: (db: Queryable, schemaName: string, options?: SubgraphContextOptions) => {
    validateRowScope(ID, reconciliationRowScopes, options?.rowScope);
    return createReconciliationLoaders(db, schemaName, options?.actor ?? null);
  },
};
