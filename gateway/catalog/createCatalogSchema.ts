import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { getNamedType, isObjectType } from 'graphql';
import type { Cache } from '../../platform/cache/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import type { FreshnessHistory, FreshnessReader } from '../metadata/index.js';
import { judgeFreshness, narrowLineage } from '../metadata/index.js';
import type { ClientUsage, UsageCounters, UsageSnapshot } from '../usage/index.js';
import { createUsageCounters, totalUsage } from '../usage/index.js';
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
    "What freshnessSlaSeconds binds: PROCESSING_LAG (how long a projection may trail its log), or DATA_AGE (that, and the age of the newest fact, at most maxSourceSilenceSeconds)."
    freshnessBinds: String!
    "With DATA_AGE: how long the sources may be silent, in seconds, before the data is STALE; null with PROCESSING_LAG."
    maxSourceSilenceSeconds: Int
    status: String!
    sunset: String
    "The SDL as published, directives included."
    sdl: String!
    fields: [ContractField!]!
    "Each projection this version reads, now, judged by this version's terms."
    freshness: [Freshness!]!
    """
    Freshness over time, per projection this version reads: one sample per minute (gaps where no
    gateway sampled), oldest first, each judged by this version's terms. At most the last 24 hours;
    empty when the gateway keeps no history.
    """
    freshnessHistory(sinceMinutes: Int = 1440): [ProjectionFreshnessHistory!]!
    """
    Requests per client over the rolling 30-day window (UTC dates), busiest first, after a first
    entry "all clients" (kind ALL) with the totals. Empty when nobody asked, and for partners.
    """
    usage: [ContractUsage!]!
  }

  type ContractField {
    coordinate: String!
    type: String!
    description: String
    classification: String!
    redactions: [Redaction!]!
    deprecation: Deprecation
    derived: Boolean!
    "Everything that can feed the field, wherever it is reached (for a shared type such as Money, the union over its uses)."
    lineage: [LineageLink!]!
    """
    The field's lineage as reached through each contract field of its parent's type (a shared
    Money.amount through an order total: the total's column only), as responses report it per
    path. Empty for root fields.
    """
    lineageVia: [LineageVia!]!
    freshness: [Freshness!]!
    """
    Uses of the field per client over the rolling 30-day window (UTC dates), busiest first, after a
    first entry "all clients" (kind ALL) with the totals; every field is counted. A client last seen
    before the window is listed with zero counts. Empty when nobody used it, and for partners.
    """
    usage: [FieldUsage!]!
  }

  type LineageVia {
    "The contract field (Type.field) this field is reached through."
    parent: String!
    lineage: [LineageLink!]!
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
    "Parent sources (<subgraph>:Type.field) whose lineage narrowed this link; empty when the field's own lineage stands."
    via: [String!]!
  }

  type TopicLineage {
    topic: String!
    sourceSystems: [String!]!
    events: [String!]!
  }

  type Freshness {
    projection: String!
    "When this was measured, ISO."
    measuredAt: String!
    "Greatest event time applied (the business time the data reflects)."
    asOfEventTime: String
    "When the projector last committed (processing time)."
    lastAppliedAt: String
    "Records in the log not yet applied."
    lagEvents: Int!
    "Processing lag: 0 when caught up, else how long the oldest lagging partition has gone without applying."
    lagMs: Float!
    "Data age: now minus asOfEventTime (0 when that is in the future); null before any event."
    dataAgeMs: Float
    slaSeconds: Int!
    "What the SLA binds: PROCESSING_LAG or DATA_AGE."
    binds: String!
    "With DATA_AGE, the greatest data age (seconds) still FRESH; null otherwise."
    maxSourceSilenceSeconds: Int
    "FRESH, STALE or UNKNOWN."
    status: String!
    "When STALE, the bounds exceeded: PROCESSING_LAG, DATA_AGE or both; empty otherwise."
    staleBecause: [String!]!
    "Why the status is UNKNOWN when the watermarks could not be read."
    unavailable: String
    "Per topic the projection reads: its newest fact and how long it has been silent."
    sources: [FreshnessSource!]!
  }

  type FreshnessSource {
    topic: String!
    newestEventTime: String
    silentForMs: Float
  }

  type ProjectionFreshnessHistory {
    projection: String!
    slaSeconds: Int!
    binds: String!
    maxSourceSilenceSeconds: Int
    samples: [FreshnessSample!]!
  }

  "One projection's freshness at one minute, judged by the contract's terms."
  type FreshnessSample {
    "The minute sampled (UTC), ISO."
    at: String!
    asOfEventTime: String
    lastAppliedAt: String
    lagEvents: Int!
    lagMs: Float!
    dataAgeMs: Float
    status: String!
    staleBecause: [String!]!
    unavailable: String
  }

  "Uses of a field by one client (or by all: kind ALL) over the rolling 30-day window of UTC dates."
  type FieldUsage {
    """Principal name, declared consumer, "unidentified", or "all clients" for the totals."""
    client: String!
    "PRINCIPAL (the authenticated caller), CONSUMER (a declared consumer named by the apollographql-client-name header), UNIDENTIFIED (any other name; also principals past the contract's cap) or ALL."
    kind: String!
    "Uses in the last 30 days: the same as last30Days."
    count: Int!
    "Uses on the current UTC date."
    today: Int!
    "Uses on the 7 UTC dates ending today."
    last7Days: Int!
    "Uses on the 30 UTC dates ending today."
    last30Days: Int!
    "Last use, ISO; kept a year, so it may predate the window."
    lastSeenAt: String
    "One entry per UTC date of the window, oldest first, zeros included."
    daily: [DailyCount!]!
  }

  "Requests by one client (or by all: kind ALL) to a contract version over the rolling 30-day window."
  type ContractUsage {
    client: String!
    kind: String!
    today: Int!
    last7Days: Int!
    last30Days: Int!
    lastSeenAt: String
    daily: [DailyCount!]!
  }

  type DailyCount {
    "YYYY-MM-DD (UTC)."
    date: String!
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
  /** Where the usage counters live (the cache the gateways share). */
  cache: Cache;
  /** The usage counters; default: createUsageCounters(cache) with its defaults. */
  usage?: UsageCounters;
  /** Freshness samples for `freshnessHistory`; null or absent: the history is empty. */
  history?: FreshnessHistory | null;
}

/** The catalog's per-request context: who is looking decides what exists. */
export interface CatalogContext {
  principal: Principal;
}

export const contractPath = (c: CompiledContract) => `/contracts/${c.meta.name}/v${c.meta.version}`;

const HISTORY_MINUTES = 24 * 60;

export function createCatalogSchema(deps: CatalogDeps): GraphQLSchema {
  const counters = deps.usage ?? createUsageCounters(deps.cache);
  const freshnessOf = (contract: CompiledContract, projections: readonly string[]) => Promise.all(projections.map((p) => deps.freshness.read(p, contract.meta)));
  // One read of a contract version's counters per catalog request, shared by all its fields.
  const snapshots = new WeakMap<CatalogContext, Map<CompiledContract['meta'], Promise<UsageSnapshot>>>();
  const snapshotOf = (contract: CompiledContract, context: CatalogContext) => {
    let perRequest = snapshots.get(context);
    if (!perRequest) snapshots.set(context, (perRequest = new Map()));
    let snapshot = perRequest.get(contract.meta);
    if (!snapshot) perRequest.set(contract.meta, (snapshot = counters.read(contract.meta)));
    return snapshot;
  };
  // Usage names other clients: internal information a partner never sees.
  const withTotal = (rows: ClientUsage[]) => (rows.length === 0 ? [] : [totalUsage(rows), ...rows]);
  const contractView = (contract: CompiledContract) => ({
    ...contract.meta,
    path: contractPath(contract),
    sdl: contract.sdl,
    fields: [...contract.fields.values()].map((field) => fieldView(contract, field)),
    freshness: () => freshnessOf(contract, contract.projections),
    freshnessHistory: async (args: { sinceMinutes: number }) => {
      const minutes = Math.min(Math.max(1, Math.floor(args.sinceMinutes)), HISTORY_MINUTES);
      const since = Date.now() - minutes * 60_000;
      return Promise.all(
        contract.projections.map(async (projection) => {
          const samples = deps.history ? await deps.history.read(projection, since) : [];
          const { freshnessSlaSeconds, freshnessBinds, maxSourceSilenceSeconds } = contract.meta;
          return {
            projection,
            slaSeconds: freshnessSlaSeconds,
            binds: freshnessBinds,
            maxSourceSilenceSeconds,
            samples: samples.map((sample) => ({ ...judgeFreshness(sample, contract.meta), at: sample.sampledAt })),
          };
        }),
      );
    },
    usage: async (_args: unknown, context: CatalogContext) => (context.principal.audience === 'INTERNAL' ? withTotal((await snapshotOf(contract, context)).requests()) : []),
  });
  const fieldView = (contract: CompiledContract, field: ContractField) => ({
    ...field,
    lineage: field.lineage.map((link) => ({ ...link, via: [] })),
    lineageVia: () => parentsOf(contract, field).map((parent) => ({ parent: parent.coordinate, lineage: field.lineage.map((link) => narrowLineage(link, parent.lineage)) })),
    freshness: () => freshnessOf(contract, [...new Set(field.lineage.map((l) => l.projection))]),
    usage: async (_args: unknown, context: CatalogContext) => (context.principal.audience === 'INTERNAL' ? withTotal((await snapshotOf(contract, context)).field(field.coordinate)).map((u) => ({ ...u, count: u.last30Days })) : []),
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

/** The contract fields whose type is `field`'s parent type: the fields it can be reached through. */
function parentsOf(contract: CompiledContract, field: ContractField): ContractField[] {
  const typeName = field.coordinate.split('.')[0];
  const parents: ContractField[] = [];
  for (const type of Object.values(contract.schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const candidate of Object.values(type.getFields())) {
      const parent = contract.fields.get(`${type.name}.${candidate.name}`);
      if (parent && getNamedType(candidate.type).name === typeName) parents.push(parent);
    }
  }
  return parents;
}
