import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { getNamedType, isObjectType } from 'graphql';
import type { Cache } from '../../platform/cache/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import { hasRight } from '../access/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import type { FreshnessHistory, FreshnessReader } from '../metadata/index.js';
import { judgeFreshness, narrowLineage } from '../metadata/index.js';
import type { ClientUsage, UsageCounters, UsageSnapshot } from '../usage/index.js';
import { createUsageCounters, totalUsage } from '../usage/index.js';
import type { ContextFlowReader } from './createContextFlowReader.js';
import type { LineageGraph, LineageIndex } from './createLineageIndex.js';
import { createLineageIndex } from './createLineageIndex.js';
import type { ContractChange } from './diffContractVersions.js';
import { diffContractVersions } from './diffContractVersions.js';
import type { SearchFacet } from './searchCatalog.js';
import { searchCatalog } from './searchCatalog.js';
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

/**
 * What the catalog web app reads besides the entries above: search with facets, lineage as a
 * graph, the diff against the previous version, deprecations, and each context's flow. Every
 * answer is built from the contracts the caller may see, as it sees them (visibleContracts).
 */
const stewardTypeDefs = /* GraphQL */ `
  extend type Query {
    "Who is asking, as the catalog sees them."
    viewer: Viewer!
    "Contract versions and their fields by words and facets; contracts first."
    search(text: String! = "", filters: [SearchFilter!]! = [], first: Int! = 50): CatalogSearchResult!
    "What changing a lineage node touches: the node and everything downstream of it, down to every contract field it feeds. Null for a node you cannot see."
    lineageImpact(node: ID!): LineageGraph
    "Deprecated fields, contract versions and (internal callers) subgraph versions, soonest sunset first."
    deprecations: [DeprecationEntry!]!
    "Each bounded context's flow now: quarantined records and its own summaries (e.g. open exceptions per owner). Internal callers only; empty for partners."
    contexts: [ContextFlow!]!
  }

  extend type ContractVersion {
    "One field by coordinate (Type.field); null when the version has none you may see."
    field(coordinate: String!): ContractField
    "What changed from the previous version you may see (the highest lower version), by @graphql-inspector/core; null for a first version."
    diffFromPrevious: ContractDiff
  }

  extend type ContractField {
    "True when the field is redacted for your audience: its lineage is withheld from you."
    lineageWithheld: Boolean!
    "The field's lineage as a graph: upstream to its source systems, and from each projection column it reads to every contract field that column feeds."
    lineageGraph: LineageGraph!
  }

  type Viewer {
    name: String!
    audience: String!
    "Holds the operate right (admin routes, subgraphs, metrics)."
    operator: Boolean!
  }

  enum SearchFacet {
    OWNER
    AUDIENCE
    TIER
    STATUS
    CLASSIFICATION
    "yes or no: the field is PII; a contract, it has a PII field."
    PII
    "yes or no: the field has a sunset or its version is deprecated; a contract, it is deprecated or has a deprecated field."
    DEPRECATED
  }

  "The values wanted for one facet: any of them matches."
  input SearchFilter {
    facet: SearchFacet!
    values: [String!]!
  }

  type CatalogSearchResult {
    total: Int!
    contracts: Int!
    fields: Int!
    hits: [SearchHit!]!
    facets: [FacetCounts!]!
  }

  type SearchHit {
    contract: ContractVersion!
    "Null for a contract hit."
    field: ContractField
    "Where the words were found: name, description, owner, consumer, coordinate, topic, source system."
    matchedOn: [String!]!
  }

  type FacetCounts {
    facet: SearchFacet!
    values: [FacetValue!]!
  }

  type FacetValue {
    value: String!
    "Hits with this value, the other facets' filters applied (not this facet's own)."
    count: Int!
    selected: Boolean!
  }

  enum LineageNodeKind {
    SOURCE_SYSTEM
    TOPIC
    EVENT
    PROJECTION_COLUMN
    SUBGRAPH_FIELD
    CONTRACT_FIELD
  }

  type LineageGraph {
    nodes: [LineageNode!]!
    "Every lineage edge between the graph's nodes, upstream to downstream."
    edges: [LineageEdge!]!
  }

  type LineageNode {
    id: ID!
    kind: LineageNodeKind!
    label: String!
    "Where it lives: a column's projection, a subgraph field's version, a contract field's contract and version."
    detail: String
    "For a contract field: its contract, version and coordinate."
    contractField: ContractFieldRef
  }

  type ContractFieldRef {
    contract: String!
    version: Int!
    coordinate: String!
  }

  type LineageEdge {
    from: ID!
    to: ID!
  }

  enum ChangeCriticality {
    BREAKING
    DANGEROUS
    NON_BREAKING
  }

  type ContractDiff {
    previousVersion: Int!
    changes: [ContractChange!]!
  }

  type ContractChange {
    "graphql-inspector's change type, or DIRECTIVE_USAGE_ARGUMENT_CHANGED for a directive argument whose value changed."
    type: String!
    criticality: ChangeCriticality!
    "The coordinate changed; .@contract.<argument> for the version's promises."
    path: String
    message: String!
    reason: String
    "For a changed value: before and after, as GraphQL literals."
    before: String
    after: String
  }

  enum DeprecationKind {
    FIELD
    CONTRACT_VERSION
    SUBGRAPH_VERSION
  }

  type DeprecationEntry {
    kind: DeprecationKind!
    "YYYY-MM-DD"
    sunset: String!
    reason: String
    replacement: String
    "The contract version, for FIELD and CONTRACT_VERSION."
    contract: ContractVersion
    "The field, for FIELD (its usage says which clients still use it)."
    field: ContractField
    "The subgraph version, for SUBGRAPH_VERSION."
    subgraph: SubgraphVersionInfo
  }

  type ContextFlow {
    context: String!
    owner: String!
    description: String!
    "Quarantined records per projection, reason and state; null when they could not be read now."
    quarantine: [QuarantineCount!]
    summaries: [FlowSummary!]!
  }

  type QuarantineCount {
    projection: String!
    reasonCode: String!
    state: String!
    entries: Int!
  }

  type FlowSummary {
    title: String!
    labels: [String!]!
    "Null when the context's flow could not be read now."
    rows: [FlowSummaryRow!]
  }

  type FlowSummaryRow {
    "The label values, in the order of labels."
    labels: [String!]!
    value: Float!
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
  /** Each context's flow now (quarantine, summaries), for internal callers. Default: none. */
  contextFlows?: ContextFlowReader;
}

/** The catalog's per-request context: who is looking decides what exists. */
export interface CatalogContext {
  principal: Principal;
}

export const contractPath = (c: CompiledContract) => `/contracts/${c.meta.name}/v${c.meta.version}`;

const HISTORY_MINUTES = 24 * 60;

const subgraphView = (s: SubgraphVersion) => ({
  id: s.id,
  context: s.context,
  version: s.version,
  status: s.status.kind.toUpperCase(),
  sunset: s.status.kind === 'deprecated' ? s.status.sunset : null,
  replacement: s.status.kind === 'deprecated' ? s.status.replacement : null,
  path: `/subgraphs/${s.id}`,
  sdl: s.sdl,
});

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
  // What a principal sees, and the lineage index over it: once per request (and once for all
  // internal callers, who see every contract whole). Keyed by the request's context object.
  const internalView = { contracts: deps.contracts, lineage: null as LineageIndex | null };
  const perRequest = new WeakMap<CatalogContext, { contracts: readonly CompiledContract[]; lineage: LineageIndex | null }>();
  const seenBy = (context: CatalogContext) => {
    if (context.principal.audience === 'INTERNAL') return internalView;
    let seen = perRequest.get(context);
    if (!seen) perRequest.set(context, (seen = { contracts: visibleContracts(context.principal, deps.contracts), lineage: null }));
    return seen;
  };
  const visible = (context: CatalogContext) => seenBy(context).contracts;
  const lineageOf = (context: CatalogContext) => {
    const seen = seenBy(context);
    return (seen.lineage ??= createLineageIndex(seen.contracts));
  };
  // Compiled contracts never change while the gateway runs: one diff per pair of schemas seen.
  const diffs = new WeakMap<GraphQLSchema, WeakMap<GraphQLSchema, Promise<ContractChange[]>>>();
  const diffOf = (previous: GraphQLSchema, current: GraphQLSchema) => {
    const byCurrent = diffs.get(previous) ?? new WeakMap<GraphQLSchema, Promise<ContractChange[]>>();
    diffs.set(previous, byCurrent);
    let found = byCurrent.get(current);
    if (!found) byCurrent.set(current, (found = diffContractVersions(previous, current)));
    return found;
  };

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
    field: (args: { coordinate: string }) => {
      const field = contract.fields.get(args.coordinate);
      return field ? fieldView(contract, field) : null;
    },
    diffFromPrevious: async (_args: unknown, context: CatalogContext) => {
      const previous = visible(context)
        .filter((c) => c.meta.name === contract.meta.name && c.meta.version < contract.meta.version)
        .sort((a, b) => b.meta.version - a.meta.version)[0];
      return previous ? { previousVersion: previous.meta.version, changes: await diffOf(previous.schema, contract.schema) } : null;
    },
  });
  const fieldView = (contract: CompiledContract, field: ContractField) => ({
    ...field,
    lineage: field.lineage.map((link) => ({ ...link, via: [] })),
    lineageVia: () => parentsOf(contract, field).map((parent) => ({ parent: parent.coordinate, lineage: field.lineage.map((link) => narrowLineage(link, parent.lineage)) })),
    freshness: () => freshnessOf(contract, [...new Set(field.lineage.map((l) => l.projection))]),
    usage: async (_args: unknown, context: CatalogContext) => (context.principal.audience === 'INTERNAL' ? withTotal((await snapshotOf(contract, context)).field(field.coordinate)).map((u) => ({ ...u, count: u.last30Days })) : []),
    lineageWithheld: (_args: unknown, context: CatalogContext) => context.principal.audience !== 'INTERNAL' && field.redactions.some((r) => r.audience === context.principal.audience),
    lineageGraph: (_args: unknown, context: CatalogContext) => graphView(lineageOf(context).forField(contract.meta, field.coordinate) ?? { nodes: [], edges: [] }),
  });
  const graphView = (graph: LineageGraph) => ({
    nodes: graph.nodes.map((n) => ({ ...n, contractField: n.contract ? { contract: n.contract.name, version: n.contract.version, coordinate: n.contract.coordinate } : null })),
    edges: graph.edges,
  });

  return makeExecutableSchema({
    typeDefs: [typeDefs, stewardTypeDefs],
    resolvers: {
      Query: {
        contracts: (_: unknown, _args: unknown, context: CatalogContext) => visible(context).map(contractView),
        contract: (_: unknown, args: { name: string; version: number }, context: CatalogContext) => {
          const found = visible(context).find((c) => c.meta.name === args.name && c.meta.version === args.version);
          return found ? contractView(found) : null;
        },
        // Subgraphs are the internal surface behind the contracts: not a partner's business.
        subgraphs: (_: unknown, _args: unknown, context: CatalogContext) => (context.principal.audience === 'INTERNAL' ? deps.subgraphs : []).map(subgraphView),
        viewer: (_: unknown, _args: unknown, { principal }: CatalogContext) => ({ name: principal.name, audience: principal.audience, operator: hasRight(principal, 'operate') }),
        search: (_: unknown, args: { text: string; filters: Array<{ facet: SearchFacet; values: string[] }>; first: number }, context: CatalogContext) => {
          const filters: Partial<Record<SearchFacet, string[]>> = {};
          for (const { facet, values } of args.filters) filters[facet] = [...(filters[facet] ?? []), ...values];
          const result = searchCatalog(visible(context), { text: args.text, filters, first: args.first });
          return { ...result, hits: result.hits.map((hit) => ({ contract: contractView(hit.contract), field: hit.field ? fieldView(hit.contract, hit.field) : null, matchedOn: hit.matchedOn })) };
        },
        lineageImpact: (_: unknown, args: { node: string }, context: CatalogContext) => {
          const graph = lineageOf(context).impactOf(args.node);
          return graph ? graphView(graph) : null;
        },
        deprecations: (_: unknown, _args: unknown, context: CatalogContext) => {
          const entries = visible(context).flatMap((contract) => [
            ...(contract.meta.status === 'DEPRECATED' && contract.meta.sunset ? [{ kind: 'CONTRACT_VERSION', sunset: contract.meta.sunset, reason: null, replacement: null, contract: contractView(contract), field: null, subgraph: null }] : []),
            ...[...contract.fields.values()].flatMap((field) => (field.deprecation ? [{ kind: 'FIELD', sunset: field.deprecation.sunset, reason: field.deprecation.reason, replacement: field.deprecation.replacement, contract: contractView(contract), field: fieldView(contract, field), subgraph: null }] : [])),
          ]);
          const subgraphs = (context.principal.audience === 'INTERNAL' ? deps.subgraphs : []).flatMap((s) =>
            s.status.kind === 'deprecated' ? [{ kind: 'SUBGRAPH_VERSION', sunset: s.status.sunset, reason: s.status.reason, replacement: s.status.replacement, contract: null, field: null, subgraph: subgraphView(s) }] : [],
          );
          return [...entries, ...subgraphs].sort((a, b) => a.sunset.localeCompare(b.sunset));
        },
        contexts: async (_: unknown, _args: unknown, context: CatalogContext) => {
          // Quarantined payloads' counts and exceptions per owner are operations data: internal only.
          if (context.principal.audience !== 'INTERNAL' || !deps.contextFlows) return [];
          return (await deps.contextFlows()).map((flow) => ({
            ...flow,
            summaries: flow.summaries.map((s) => ({ title: s.title, labels: s.labels, rows: s.rows?.map((r) => ({ labels: s.labels.map((l) => r.labels[l] ?? ''), value: r.value })) ?? null })),
          }));
        },
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
