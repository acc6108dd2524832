import type { GraphQLSchema } from 'graphql';
import type { Queryable } from '../database/index.js';
import type { ChangeFeedRowsPlanner } from './ChangeFeedRows.js';
import type { RowReadPlanner } from './RowReads.js';
import type { RowScope, RowScopeDimension } from './RowScope.js';

/** Where a context's events come from: the end of every lineage chain. */
export interface TopicLineage {
  topic: string;
  /** Producing systems (`source` of the envelope, or the legacy system behind a CDC stream). */
  sourceSystems: string[];
  /** Domain event types this topic yields (after translation for a foreign stream). */
  events: string[];
}

export type SubgraphStatus = { kind: 'active' } | { kind: 'deprecated'; reason: string; sunset: string; replacement: string };

export interface SubgraphContextOptions {
  /**
   * Restricts every read of the request to the rows the scope allows, inside each SQL statement
   * (never filtered afterwards, so neither counts nor timings tell anything about other rows).
   * Dimensions and values must be ones the version declares in `rowScopes`, or `createContext`
   * throws `ROW_SCOPE_INVALID`. Default null: no restriction (internal callers, operators).
   */
  rowScope?: RowScope | null;
  /**
   * Who is asking, for a version that records who did something (a steward's acknowledgement).
   * The gateway has already checked the caller's rights for the field; this only names them.
   * Default null: nobody known (reads need no name).
   */
  actor?: { id: string; name: string } | null;
}

/**
 * One version of a context's subgraph: a standalone executable schema over the context's
 * projections, servable on its own path and callable in-process. Its fields declare their
 * lineage with `@lineage(projection, columns, events)`; its object types name the record they
 * resolve from with `@model(name)`, so versions sharing a record can be mixed by a contract.
 */
export interface SubgraphVersion<TContext = unknown> {
  /** `<context>/v<N>`, e.g. `orders/v2`. */
  id: string;
  context: string;
  version: number;
  status: SubgraphStatus;
  schema: GraphQLSchema;
  /** The SDL as written, directives included. */
  sdl: string;
  topics: TopicLineage[];
  /**
   * The dimensions every read of this version can be restricted by (a partner's row scope), each
   * with its allowed values in the schema's terms (e.g. `salesChannel: ['WEB', 'STORE', 'MARKETPLACE']`).
   * Empty when the version cannot restrict its reads: a partner contract cannot use it then.
   */
  rowScopes: Readonly<Record<string, RowScopeDimension>>;
  /**
   * Per-request context: loaders over the context's projection tables in `schemaName`, restricted
   * to `options.rowScope` when given. Throws a `SubgraphError` with code `ROW_SCOPE_INVALID` for
   * a dimension or value the version does not declare.
   */
  createContext(db: Queryable, schemaName: string, options?: SubgraphContextOptions): TContext;
  /** Optional: the change feed built as JSON in SQL, for bulk reads. */
  changeFeedRows?: ChangeFeedRowsPlanner;
  /** Optional: root query fields built as JSON in SQL, for contract reads. */
  rowReads?: RowReadPlanner;
}
