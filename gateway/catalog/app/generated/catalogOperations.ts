export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

export type ChangeCriticality =
  | 'BREAKING'
  | 'DANGEROUS'
  | 'NON_BREAKING';

export type DeprecationKind =
  | 'CONTRACT_VERSION'
  | 'FIELD'
  | 'SUBGRAPH_VERSION';

export type LineageNodeKind =
  | 'CONTRACT_FIELD'
  | 'EVENT'
  | 'PROJECTION_COLUMN'
  | 'SOURCE_SYSTEM'
  | 'SUBGRAPH_FIELD'
  | 'TOPIC';

export type SearchFacet =
  | 'AUDIENCE'
  | 'CLASSIFICATION'
  /** yes or no: the field has a sunset or its version is deprecated; a contract, it is deprecated or has a deprecated field. */
  | 'DEPRECATED'
  | 'OWNER'
  /** yes or no: the field is PII; a contract, it has a PII field. */
  | 'PII'
  | 'STATUS'
  | 'TIER';

/** The values wanted for one facet: any of them matches. */
export type SearchFilter = {
  facet: SearchFacet;
  values: Array<Scalars['String']['input']>;
};

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { name: string, audience: string, operator: boolean } };

export type SearchQueryVariables = Exact<{
  text: Scalars['String']['input'];
  filters: Array<SearchFilter> | SearchFilter;
  first: Scalars['Int']['input'];
}>;


export type SearchQuery = { search: { total: number, contracts: number, fields: number, hits: Array<{ matchedOn: Array<string>, contract: { name: string, version: number, owner: string, audience: string, tier: string, status: string, description: string }, field: { coordinate: string, type: string, description: string | null, classification: string, deprecation: { sunset: string } | null } | null }>, facets: Array<{ facet: SearchFacet, values: Array<{ value: string, count: number, selected: boolean }> }> } };

export type ContractPageQueryVariables = Exact<{
  name: Scalars['String']['input'];
  version: Scalars['Int']['input'];
}>;


export type ContractPageQuery = { viewer: { audience: string }, contract: { name: string, version: number, path: string, owner: string, audience: string, consumers: Array<string>, tier: string, description: string, changePolicy: string, deliveryGuarantee: string, latencyProfile: string, freshnessSlaSeconds: number, status: string, sunset: string | null, sdl: string, freshnessBinds: string, maxSourceSilenceSeconds: number | null, freshness: Array<{ projection: string, measuredAt: string, asOfEventTime: string | null, lastAppliedAt: string | null, lagEvents: number, lagMs: number, dataAgeMs: number | null, slaSeconds: number, binds: string, maxSourceSilenceSeconds: number | null, status: string, staleBecause: Array<string>, unavailable: string | null, sources: Array<{ topic: string, newestEventTime: string | null, silentForMs: number | null }> }>, freshnessHistory: Array<{ projection: string, slaSeconds: number, binds: string, maxSourceSilenceSeconds: number | null, samples: Array<{ at: string, lagEvents: number, lagMs: number, dataAgeMs: number | null, status: string, staleBecause: Array<string>, unavailable: string | null }> }>, usage: Array<{ client: string, kind: string, today: number, last7Days: number, last30Days: number, lastSeenAt: string | null }>, fields: Array<{ coordinate: string, type: string, description: string | null, classification: string, derived: boolean, lineageWithheld: boolean, redactions: Array<{ audience: string, strategy: string, mask: string | null }>, deprecation: { reason: string, sunset: string, deprecatedOn: string, replacement: string | null } | null, usage: Array<{ client: string, kind: string, today: number, last7Days: number, last30Days: number, lastSeenAt: string | null }> }>, diffFromPrevious: { previousVersion: number, changes: Array<{ type: string, criticality: ChangeCriticality, path: string | null, message: string, reason: string | null, before: string | null, after: string | null }> } | null } | null };

export type FieldPageQueryVariables = Exact<{
  name: Scalars['String']['input'];
  version: Scalars['Int']['input'];
  coordinate: Scalars['String']['input'];
}>;


export type FieldPageQuery = { contract: { name: string, version: number, owner: string, field: { coordinate: string, type: string, description: string | null, classification: string, derived: boolean, lineageWithheld: boolean, redactions: Array<{ audience: string, strategy: string, mask: string | null }>, deprecation: { reason: string, sunset: string, replacement: string | null } | null, lineageVia: Array<{ parent: string, lineage: Array<{ projection: string, columns: Array<string>, via: Array<string>, topics: Array<{ topic: string }> }> }>, lineageGraph: { nodes: Array<{ id: string, kind: LineageNodeKind, label: string, detail: string | null, contractField: { contract: string, version: number, coordinate: string } | null }>, edges: Array<{ from: string, to: string }> } } | null } | null };

export type LineageImpactQueryVariables = Exact<{
  node: Scalars['ID']['input'];
}>;


export type LineageImpactQuery = { lineageImpact: { nodes: Array<{ id: string, kind: LineageNodeKind, label: string, detail: string | null, contractField: { contract: string, version: number, coordinate: string } | null }>, edges: Array<{ from: string, to: string }> } | null };

export type DeprecationsQueryVariables = Exact<{ [key: string]: never; }>;


export type DeprecationsQuery = { viewer: { audience: string }, deprecations: Array<{ kind: DeprecationKind, sunset: string, reason: string | null, replacement: string | null, contract: { name: string, version: number, status: string, usage: Array<{ client: string, kind: string, last30Days: number, lastSeenAt: string | null }> } | null, field: { coordinate: string, usage: Array<{ client: string, kind: string, last30Days: number, lastSeenAt: string | null }> } | null, subgraph: { id: string, path: string } | null }> };

export type FlowsQueryVariables = Exact<{ [key: string]: never; }>;


export type FlowsQuery = { contexts: Array<{ context: string, owner: string, description: string, quarantine: Array<{ projection: string, reasonCode: string, state: string, entries: number }> | null, summaries: Array<{ title: string, labels: Array<string>, rows: Array<{ labels: Array<string>, value: number }> | null }> }> };
