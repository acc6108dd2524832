import type { GraphQLSchema } from 'graphql';
import type { FlowMetric, FlowSample } from '../../platform/context/index.js';
import type { TopicLineage } from '../../platform/subgraph/index.js';
import type { RedactionRule } from '../redaction/index.js';

export type ContractAudience = 'INTERNAL' | 'PARTNER';
export const CONTRACT_AUDIENCES: readonly ContractAudience[] = ['INTERNAL', 'PARTNER'];
export type ContractStatus = 'DRAFT' | 'ACTIVE' | 'DEPRECATED' | 'RETIRED';

/** The `@contract(...)` of a contract version: what a consumer needs to rely on it. */
export interface ContractMeta {
  name: string;
  version: number;
  owner: string;
  audience: ContractAudience;
  consumers: string[];
  tier: 'ENTERPRISE' | 'DOMAIN' | 'EDGE';
  description: string;
  changePolicy: string;
  deliveryGuarantee: string;
  latencyProfile: string;
  freshnessSlaSeconds: number;
  /** What the SLA binds: the processing lag only, or also the age of the newest fact. */
  freshnessBinds: FreshnessBinding;
  /** With DATA_AGE: the greatest data age (seconds) still FRESH; null with PROCESSING_LAG. */
  maxSourceSilenceSeconds: number | null;
  status: ContractStatus;
  sunset: string | null;
}

/** `@contract(freshnessBinds:)`. */
export type FreshnessBinding = 'PROCESSING_LAG' | 'DATA_AGE';

export interface FieldDeprecation {
  reason: string;
  /** YYYY-MM-DD */
  sunset: string;
  deprecatedOn: string;
  /** Coordinate of the replacement, or null. */
  replacement: string | null;
}

/** One step of lineage: contract field ← subgraph field ← projection columns ← events ← topics. */
export interface LineageLink {
  subgraph: string;
  subgraphField: string;
  subgraphStatus: 'active' | 'deprecated';
  projection: string;
  columns: string[];
  events: string[];
  topics: TopicLineage[];
}

export interface ContractField {
  /** `Type.field` */
  coordinate: string;
  type: string;
  description: string | null;
  classification: string;
  /** `@redact` rules, enforced: OMIT shapes the audience's schema, MASK/TOKENIZE wrap the resolver. */
  redactions: RedactionRule[];
  deprecation: FieldDeprecation | null;
  derived: boolean;
  lineage: LineageLink[];
  /** `@requiresRight`: the right (lower case, as principals hold it) needed to run the field, or null. */
  requiresRight: string | null;
  /** The field of this type whose value a `@from(..., key:)` looks its record up by (another record, often another context's); null when the field reads its parent's own record. */
  joinKey: string | null;
}

/** `@rowScope(subgraph, dimension)`: reads from `subgraph` are restricted by the principal's scope for `dimension`. */
export interface ContractRowScope {
  subgraph: string;
  dimension: string;
}

/** What one audience is served: its own schema (OMIT fields do not exist in it) and its SDL. */
export interface AudienceView {
  audience: ContractAudience;
  schema: GraphQLSchema;
  /** The SDL this audience may see: the published SDL less the fields omitted for it. */
  sdl: string;
  /** Coordinates that do not exist for this audience. */
  omitted: ReadonlySet<string>;
}

export interface CompiledContract {
  meta: ContractMeta;
  /** Path of the SDL file, relative to the contracts folder. */
  file: string;
  /** The SDL as written: directives kept. */
  sdl: string;
  /** Executable schema with every field (the INTERNAL view); redaction still applies per principal. */
  schema: GraphQLSchema;
  /** The schema and SDL per audience; PARTNER callers are served `views.PARTNER`. */
  views: Readonly<Record<ContractAudience, AudienceView>>;
  rowScopes: readonly ContractRowScope[];
  fields: ReadonlyMap<string, ContractField>;
  /** Projections this contract reads, for freshness. */
  projections: string[];
  /** Gauges this version publishes at `/metrics` (`flowMetrics` in its `v<N>.ts`); absent when none. */
  flowMetrics?: ContractFlowMetrics;
}

/**
 * Gauges a contract version publishes at `/metrics`: the gateway runs `operation` in-process on
 * the version's INTERNAL view at each scrape (the resolvers a consumer's request runs, so the
 * metric and the contract's answer cannot disagree) and turns its `data` into samples. Exported as
 * `flowMetrics` from the `v<N>.ts` beside the SDL; names live in `dpg_<contract name>_`.
 */
export interface ContractFlowMetrics {
  metrics: readonly FlowMetric[];
  /**
   * A query on this version, checked when the contract loads. It runs on every scrape: bound its
   * work with the arguments (page sizes, windows) and say the bound in each metric's help.
   */
  operation: string;
  /** The samples, from the operation's `data` (an errorless result). */
  samples(data: Readonly<Record<string, unknown>>): FlowSample[];
}

/**
 * What a derived resolver may use besides the values handed to it: its parent and arguments, and
 * the sources it declared, resolved for any record it holds (the request's loaders, so lookups
 * batch across rows).
 */
export interface DerivedFieldContext {
  /** The contract object this field belongs to (the source record it was resolved from); undefined on Query. */
  parent: unknown;
  args: Readonly<Record<string, unknown>>;
  /**
   * Resolves one of the field's declared `from` sources (`"<context>/v<N>:Type.field"`) for `parent`
   * (a record of that type, or a `{ key: value }` reference for an entity of another context) with
   * `args` (defaults are not applied: pass every argument). Refuses a source the field does not declare:
   * lineage lists every source a derived field reads.
   */
  resolve(source: string, parent: unknown, args?: Record<string, unknown>): Promise<unknown>;
}

/**
 * Resolvers for `@derived` fields, in the `v<N>.ts` beside a contract. Each gets the values of
 * the `from` coordinates that are fields of its own record, in their order (undefined for the
 * others: those on other records and on Query), and a DerivedFieldContext for the rest.
 */
export type DerivedFieldResolvers = Record<string, Record<string, (sources: unknown[], context: DerivedFieldContext) => unknown>>;
