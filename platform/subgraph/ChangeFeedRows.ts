import type { Database, Queryable } from '../database/index.js';
import type { RowScope } from './RowScope.js';

/**
 * One field of a row built as JSON in SQL: `key` is the name the caller wants in the JSON (a
 * contract field), `field` the subgraph field it is served from, `children` the selection of an
 * object or list field.
 */
export interface RowSelectionField {
  key: string;
  field: string;
  /**
   * The subgraph version `field` belongs to, when it is another version of the planner's context
   * sharing the record (a contract serving a v1 field beside v2 ones). Default: the planner's own.
   */
  subgraph?: string;
  children?: RowSelectionField[];
}

export interface ChangeFeedRowsRequest {
  /** Fields of the feed's node type, built into each row's JSON by the database. */
  fields: RowSelectionField[];
  /**
   * Scalar fields of the node type returned as their plain values beside the JSON, in this
   * order, for the caller to transform (redaction happens in the gateway, in one implementation).
   */
  rawFields: string[];
  first: number;
  /** A cursor this feed issued, or null from the beginning. */
  since: string | null;
  rowScope: RowScope | null;
  /**
   * Only where the page ends is wanted (`rows` comes back empty): the planner may find the page's
   * last row without returning the others. Default false.
   */
  endOnly?: boolean;
}

export interface ChangeFeedRowsPage {
  rows: Array<{ json: string; raw: Array<string | null> }>;
  endCursor: string | null;
  hasMore: boolean;
}

/**
 * A context's change feed answered in one SQL statement per page that builds each row's JSON in
 * PostgreSQL (DESIGN §10), for bulk reads such as exports. Same rows, order, cursors and row scope
 * as the feed's GraphQL field; a selection the context cannot plan is a value, not a throw, so
 * the caller falls back to GraphQL execution.
 */
export interface ChangeFeedRowsPlanner {
  /** The root field it answers (`Query.orderChanges`) and the page field that lists the nodes (`OrderChangePage.orders`). */
  rootField: string;
  nodesField: string;
  plan(request: Omit<ChangeFeedRowsRequest, 'since' | 'first'>): ChangeFeedRowsPlan | { unplannable: string };
}

/** A planned selection of a change feed. */
export interface ChangeFeedRowsPlan {
  /** One page after `since`. */
  run(db: Queryable, schemaName: string, page: { since: string | null; first: number }): Promise<ChangeFeedRowsPage>;
  /**
   * The whole feed after `since` in one statement and one snapshot (each row once), as pages of
   * rows as they arrive; the last page is empty, `hasMore: false`, with the final cursor. Null
   * when the database cannot stream (`Database.streamTextRows`): read pages with `run` instead.
   */
  stream?(db: Pick<Database, 'streamTextRows'>, schemaName: string, since: string | null): AsyncIterable<ChangeFeedRowsPage> | null;
}
