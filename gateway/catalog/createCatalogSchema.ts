import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Cache } from '../../platform/cache/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import type { FreshnessReader } from '../metadata/index.js';
import { visibleContracts } from './visibleContracts.js';

const typeDefs = /* GraphQL */ `
  "The metadata API for data stewards: every contract, field, owner, classification, lineage, freshness and deprecation."
  type Query {
    contracts: [ContractVersion!]!
    contract(name: String!, version: Int!): ContractVersion
    subgraphs: [SubgraphVersionInfo!]!
  }

  type ContractVersion {
    name: String!
    version: Int!
    "HTTP path where this version is served."
    path: String!
    owner: String!
    audience: String!
    consumers: [String!]!
    tier: String!
    description: String!
    changePolicy: String!
    deliveryGuarantee: String!
    latencyProfile: String!
    freshnessSlaSeconds: Int!
    status: String!
    sunset: String
    "The SDL as published, directives included."
    sdl: String!
    fields: [ContractField!]!
    freshness: [Freshness!]!
  }

  type ContractField {
    coordinate: String!
    type: String!
    description: String
    classification: String!
    redactions: [Redaction!]!
    deprecation: Deprecation
    derived: Boolean!
    lineage: [LineageLink!]!
    freshness: [Freshness!]!
    "Uses of a deprecated field per client over the last 30 days (empty for other fields)."
    usage: [FieldUsage!]!
  }

  type Redaction {
    audience: String!
    strategy: String!
    "The documented mask, for MASK."
    mask: String
  }

  type Deprecation {
    reason: String!
    sunset: String!
    deprecatedOn: String!
    replacement: String
  }

  type LineageLink {
    subgraph: String!
    subgraphField: String!
    subgraphStatus: String!
    projection: String!
    columns: [String!]!
    events: [String!]!
    topics: [TopicLineage!]!
  }

  type TopicLineage {
    topic: String!
    sourceSystems: [String!]!
    events: [String!]!
  }

  type Freshness {
    projection: String!
    asOfEventTime: String
    lastAppliedAt: String
    lagEvents: Int!
    lagMs: Float!
    slaSeconds: Int!
    status: String!
    "Why the status is UNKNOWN when the watermarks could not be read."
    unavailable: String
  }

  type FieldUsage {
    client: String!
    count: Int!
  }

  type SubgraphVersionInfo {
    id: String!
    context: String!
    version: Int!
    status: String!
    sunset: String
    replacement: String
    path: String!
    sdl: String!
  }
`;

export interface CatalogDeps {
  contracts: readonly CompiledContract[];
  subgraphs: readonly SubgraphVersion[];
  freshness: FreshnessReader;
  cache: Cache;
  /** Clients (`apollographql-client-name`) whose usage is reported one by one, besides the total. */
  knownClients?: string[];
}

/** The catalog's per-request context: who is looking decides what exists. */
export interface CatalogContext {
  principal: Principal;
}

export const contractPath = (c: CompiledContract) => `/contracts/${c.meta.name}/v${c.meta.version}`;

export function createCatalogSchema(deps: CatalogDeps): GraphQLSchema {
  const freshnessOf = (contract: CompiledContract, projections: readonly string[]) => Promise.all(projections.map((p) => deps.freshness.read(p, contract.meta.freshnessSlaSeconds)));
  const contractView = (contract: CompiledContract) => ({
    ...contract.meta,
    path: contractPath(contract),
    sdl: contract.sdl,
    fields: [...contract.fields.values()].map((field) => fieldView(contract, field)),
    freshness: () => freshnessOf(contract, contract.projections),
  });
  const fieldView = (contract: CompiledContract, field: ContractField) => ({
    ...field,
    freshness: () => freshnessOf(contract, [...new Set(field.lineage.map((l) => l.projection))]),
    usage: async (_args: unknown, context: CatalogContext) => {
      // Usage names other clients: internal information a partner never sees.
      if (!field.deprecation || context.principal.audience !== 'INTERNAL') return [];
      const clients = ['*', 'unknown', ...(deps.knownClients ?? [])];
      const counts = await Promise.all(clients.map(async (client) => ({ client: client === '*' ? 'all clients' : client, count: Number((await deps.cache.get(`usage:${contract.meta.name}:v${contract.meta.version}:${field.coordinate}:${client}`)) ?? 0) })));
      return counts.filter((c) => c.count > 0);
    },
  });
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        contracts: (_: unknown, _args: unknown, context: CatalogContext) => visibleContracts(context.principal, deps.contracts).map(contractView),
        contract: (_: unknown, args: { name: string; version: number }, context: CatalogContext) => {
          const found = visibleContracts(context.principal, deps.contracts).find((c) => c.meta.name === args.name && c.meta.version === args.version);
          return found ? contractView(found) : null;
        },
        // Subgraphs are the internal surface behind the contracts: not a partner's business.
        subgraphs: (_: unknown, _args: unknown, context: CatalogContext) =>
          (context.principal.audience === 'INTERNAL' ? deps.subgraphs : []).map((s) => ({
            id: s.id,
            context: s.context,
            version: s.version,
            status: s.status.kind.toUpperCase(),
            sunset: s.status.kind === 'deprecated' ? s.status.sunset : null,
            replacement: s.status.kind === 'deprecated' ? s.status.replacement : null,
            path: `/subgraphs/${s.id}`,
            sdl: s.sdl,
          })),
      },
    },
  });
}
