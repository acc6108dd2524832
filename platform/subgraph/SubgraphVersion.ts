import type { GraphQLSchema } from 'graphql';
import type { Queryable } from '../database/index.js';

/** Where a context's events come from: the end of every lineage chain. */
export interface TopicLineage {
  topic: string;
  /** Producing systems (`source` of the envelope, or the legacy system behind a CDC stream). */
  sourceSystems: string[];
  /** Domain event types this topic yields (after translation for a foreign stream). */
  events: string[];
}

export type SubgraphStatus = { kind: 'active' } | { kind: 'deprecated'; reason: string; sunset: string; replacement: string };

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
  /** Per-request context: loaders over the context's projection tables in `schemaName`. */
  createContext(db: Queryable, schemaName: string): TContext;
}
