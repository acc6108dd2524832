import type { Queryable } from '../database/index.js';
import type { RowSelectionField } from './ChangeFeedRows.js';
import type { RowScope } from './RowScope.js';

/** What a caller wants of one root field: the selection, keyed as the caller's response needs it. */
export interface RowReadRequest {
  /** The root field answered, as a coordinate of the subgraph (`Query.orders`). */
  rootField: string;
  /** Fields of the root field's type, each `key` the name the JSON must carry (a response key). */
  fields: RowSelectionField[];
}

/** A planned read: one SQL statement per run, whose single text value is the root field's JSON. */
export interface RowReadPlan {
  /**
   * Why these arguments (already coerced by GraphQL) cannot be answered by the plan, so the
   * caller runs the field's resolver instead, which answers them (or refuses them) as it always
   * has; null when they can.
   */
  refuses(args: Readonly<Record<string, unknown>>): string | null;
  /**
   * The root field's value as JSON text (`null` text when the field is null) and the records it
   * holds (a list's length; 1 or 0 for one record): one statement, arguments and row scope bound
   * as parameters, whatever the page size.
   */
  run(db: Queryable, schemaName: string, args: Readonly<Record<string, unknown>>, rowScope: RowScope | null): Promise<{ json: string; rows: number }>;
}

/**
 * A context's root query fields answered in one SQL statement each that builds the response JSON
 * in PostgreSQL (DESIGN §10), for contract reads: the context that owns the tables plans their
 * SQL, the gateway maps a contract's selection onto it. Same rows, order, values and row scope as
 * the fields' resolvers; a selection the context cannot plan is a value, not a throw, so the
 * caller runs the resolvers instead.
 */
export interface RowReadPlanner {
  /** The root fields it can plan (`Query.order`, `Query.orders`). */
  rootFields: readonly string[];
  plan(request: RowReadRequest): RowReadPlan | { unplannable: string };
}
