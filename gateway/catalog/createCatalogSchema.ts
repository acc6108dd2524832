import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Cache } from '../../platform/cache/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import { hasRight } from '../access/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import type { FreshnessReader } from '../metadata/index.js';
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
  cache: Cache;
  /** Clients (`apollographql-client-name`) whose usage is reported one by one, besides the total and each contract's declared consumers. */
  knownClients?: string[];
  /** Each context's flow now (quarantine, summaries), for internal callers. Default: none. */
  contextFlows?: ContextFlowReader;
}

/** The catalog's per-request context: who is looking decides what exists. */
export interface CatalogContext {
  principal: Principal;
}

export const contractPath = (c: CompiledContract) => `/contracts/${c.meta.name}/v${c.meta.version}`;

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

  const freshnessOf = (contract: CompiledContract, projections: readonly string[]) => Promise.all(projections.map((p) => deps.freshness.read(p, contract.meta.freshnessSlaSeconds)));
  const contractView = (contract: CompiledContract) => ({
    ...contract.meta,
    path: contractPath(contract),
    sdl: contract.sdl,
    fields: [...contract.fields.values()].map((field) => fieldView(contract, field)),
    freshness: () => freshnessOf(contract, contract.projections),
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
    freshness: () => freshnessOf(contract, [...new Set(field.lineage.map((l) => l.projection))]),
    usage: async (_args: unknown, context: CatalogContext) => {
      // Usage names other clients: internal information a partner never sees.
      if (!field.deprecation || context.principal.audience !== 'INTERNAL') return [];
      // A cache cannot list its keys: the clients read by name are the contract's declared consumers and any configured.
      const clients = ['*', 'unknown', ...new Set([...contract.meta.consumers, ...(deps.knownClients ?? [])])];
      const counts = await Promise.all(clients.map(async (client) => ({ client: client === '*' ? 'all clients' : client, count: Number((await deps.cache.get(`usage:${contract.meta.name}:v${contract.meta.version}:${field.coordinate}:${client}`)) ?? 0) })));
      return counts.filter((c) => c.count > 0);
    },
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
