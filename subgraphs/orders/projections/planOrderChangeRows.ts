import type { Database, LiteralValue, Queryable } from '../../../platform/database/index.js';
import { quoteLiteral as sqlLiteral } from '../../../platform/database/index.js';
import type { ChangeFeedRowsPage, ChangeFeedRowsRequest } from '../../../platform/subgraph/index.js';
import { buildOrderJson, orderScalarSql } from './buildOrderJson.js';
import type { OrderChangePosition } from './orderChangeCursor.js';
import { decodeOrderChangeCursor, encodeOrderChangeCursor } from './orderChangeCursor.js';
import { orderChangesParams, orderChangesStatement } from './createOrderTimelineLoaders.js';

/**
 * Plans the orders change feed (`Query.orderChanges`) for a selection of `Order` fields: one
 * statement per page, the same statement the GraphQL field runs (same rows, order, cursors and
 * row scope, see `orderChangesStatement`), with each row's JSON built by PostgreSQL.
 */
export function planOrderChangeRows(request: Omit<ChangeFeedRowsRequest, 'since' | 'first'>, salesChannels: readonly string[] | null) {
  const built = buildOrderJson(request.fields, '__SCHEMA__');
  if ('unplannable' in built) return built;
  const raws: string[] = [];
  for (const raw of request.rawFields) {
    const sql = orderScalarSql(raw);
    if (sql === null) return { unplannable: `orders/v2 Order.${raw} cannot be returned as a plain value` };
    raws.push(`(${sql})::text as "raw${raws.length}"`);
  }
  // One statement per schema, built once: a page only changes its parameters.
  const statements = new Map<string, { page: string; end: string }>();
  const statementsFor = (schemaName: string) => {
    let sql = statements.get(schemaName);
    if (!sql) {
      const json = buildOrderJson(request.fields, schemaName) as { sql: string };
      const page = orderChangesStatement(schemaName, [`${json.sql} as "json"`, ...raws, 'o.order_id as "orderId"'].join(', '), salesChannels !== null);
      // Where a page ends: its last row and the one after it (is there more?), skipping the others
      // in PostgreSQL rather than sending them.
      const end = `${orderChangesStatement(schemaName, `'{}' as "json", o.order_id as "orderId"`, salesChannels !== null)} offset $${salesChannels === null ? 6 : 7}`;
      sql = { page, end };
      statements.set(schemaName, sql);
    }
    return sql;
  };
  type FeedRow = { json: string; changeXid: string; changeGeneration: string; orderId: string } & Record<string, unknown>;
  const cursorOf = (row: FeedRow) => encodeOrderChangeCursor({ generation: row.changeGeneration, changeXid: row.changeXid, orderId: String(row.orderId) });
  const readPage = async (db: Queryable, schemaName: string, page: { since: string | null; first: number }, position: OrderChangePosition | null): Promise<ChangeFeedRowsPage> => {
    const { rows } = await db.query<FeedRow>(statementsFor(schemaName).page, orderChangesParams(schemaName, page.first, position, salesChannels));
    const kept = rows.slice(0, page.first);
    const last = kept.at(-1);
    return {
      rows: kept.map((row) => ({ json: row.json, raw: request.rawFields.map((_, i) => (row[`raw${i}`] as string | null) ?? null) })),
      endCursor: last ? cursorOf(last) : page.since,
      hasMore: rows.length > page.first,
    };
  };
  return {
    stream(db: Pick<Database, 'streamTextRows'>, schemaName: string, since: string | null): AsyncIterable<ChangeFeedRowsPage> | null {
      if (!db.streamTextRows) return null;
      const position: OrderChangePosition | null = since === null ? null : decodeOrderChangeCursor(since);
      if (since !== null && position === null) throw new OrderChangeRowsCursorError();
      // The page statement without its limit (`limit null`), its parameters written as literals:
      // COPY takes none. Every `$n` in it is a parameter (the statement is ours, and no key or
      // literal in it contains a dollar sign).
      const params = orderChangesParams(schemaName, 0, position, salesChannels) as LiteralValue[];
      params[0] = null;
      const select = statementsFor(schemaName).page.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(params[Number(n) - 1]!));
      return streamFeed(db.streamTextRows.bind(db), select, request.rawFields.length, since);
    },
    async run(db: Queryable, schemaName: string, page: { since: string | null; first: number }): Promise<ChangeFeedRowsPage> {
      const position: OrderChangePosition | null = page.since === null ? null : decodeOrderChangeCursor(page.since);
      if (page.since !== null && position === null) throw new OrderChangeRowsCursorError();
      if (!request.endOnly || page.first === 0) return readPage(db, schemaName, page, position);
      // The page's last row (the first-th) and the one after it. None: the page is shorter than
      // `first` (the feed's last), and its end is found by reading it.
      const [limit, ...rest] = orderChangesParams(schemaName, 1, position, salesChannels);
      const { rows } = await db.query<FeedRow>(statementsFor(schemaName).end, [limit, ...rest, page.first - 1]);
      if (rows.length === 0) return { ...(await readPage(db, schemaName, page, position)), rows: [] };
      return { rows: [], endCursor: cursorOf(rows[0]!), hasMore: rows.length > 1 };
    },
  };
}

/**
 * The feed from `since` to its end in one statement (one snapshot: each row once, at its state
 * then), as pages of whatever the database sent at once. Columns as `statementsFor` selects them:
 * the JSON, the raw fields, the order id, then the change's xid and generation. Every page but
 * the last says `hasMore`; the last is empty and carries the cursor of the final row.
 */
async function* streamFeed(streamTextRows: NonNullable<Database['streamTextRows']>, select: string, rawCount: number, since: string | null): AsyncGenerator<ChangeFeedRowsPage> {
  let last: Array<string | null> | null = null;
  for await (const batch of streamTextRows(select)) {
    const rows = new Array<ChangeFeedRowsPage['rows'][number]>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      rows[i] = { json: row[0]!, raw: row.slice(1, 1 + rawCount) };
    }
    last = batch.at(-1) ?? last;
    yield { rows, endCursor: null, hasMore: true };
  }
  const endCursor = last === null ? since : encodeOrderChangeCursor({ orderId: last[rawCount + 1]!, changeXid: last[rawCount + 2]!, generation: last[rawCount + 3]! });
  yield { rows: [], endCursor, hasMore: false };
}

/** A `since` this feed did not issue (the GraphQL field answers BAD_USER_INPUT for the same). */
export class OrderChangeRowsCursorError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor() {
    super('orderChanges(since) is not a cursor this feed issued: pass an endCursor received from orderChanges, or null to start from the beginning.');
  }
}
