import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Queryable } from '../../platform/database/index.js';
import type { SubgraphContextOptions, SubgraphVersion } from '../../platform/subgraph/index.js';
import { validateRowScope } from '../../platform/subgraph/index.js';
import type { PaymentAttemptsLoaders } from './projections/createPaymentAttemptsLoaders.js';
import { createPaymentAttemptsLoaders } from './projections/createPaymentAttemptsLoaders.js';
import { paymentsTopicLineage } from './paymentsTopicLineage.js';
import { paymentsV1Resolvers } from './v1/resolvers.js';

const ID = 'payments/v1';
const sdl = readFileSync(new URL('./v1/schema.graphql', import.meta.url), 'utf8');

/**
 * No row-scope dimension yet: a partner contract cannot read payments, and any scope given is
 * refused (ROW_SCOPE_INVALID) rather than ignored.
 */
const paymentsRowScopes = {};

/** payments/v1: payment attempts by id and by order, over the payment_attempts projection. */
export const paymentsV1Subgraph: SubgraphVersion<PaymentAttemptsLoaders> = {
  id: ID,
  context: 'payments',
  version: 1,
  status: { kind: 'active' },
  sdl,
  schema: makeExecutableSchema({ typeDefs: sdl, resolvers: paymentsV1Resolvers }),
  topics: paymentsTopicLineage,
  rowScopes: paymentsRowScopes,
  createContext: (db: Queryable, schemaName: string, options?: SubgraphContextOptions) => {
    validateRowScope(ID, paymentsRowScopes, options?.rowScope);
    return createPaymentAttemptsLoaders(db, schemaName);
  },
};
