import type { Database, LiteralValue, Queryable } from '../../../platform/database/index.js';
import { quoteIdent, quoteLiteral as sqlLiteral } from '../../../platform/database/index.js';
import type { ChangeFeedRowsPage, ChangeFeedRowsRequest, RowSelectionField } from '../../../platform/subgraph/index.js';
import type { OrderChangePosition } from './orderChangeCursor.js';
import { decodeOrderChangeCursor, encodeOrderChangeCursor } from './orderChangeCursor.js';
import { orderChangesParams, orderChangesStatement } from './createOrderTimelineLoaders.js';

/**
 * How a scalar prints in the row's JSON. The row is printed by concatenating text (see
 * `buildObject`), byte for byte what `json_build_object` printed before (so files and pages are
 * unchanged), at about two thirds of its cost: `json_build_object` looks up each argument's type
 * and output function on every row, while here the printing of each field is decided once, when
 * the statement is planned.
 *
 * - `string`: any text; escaped by `to_json`, the escaping `json_build_object` applies to text.
 * - `number`: an integer column, printed bare (int4out, as `json_build_object` prints integers).
 * - `plainString`: text that never needs escaping (digits, signs, `.`, `:`, `T`, `Z`: timestamps
 *   printed by to_char, decimals printed by numeric's output function), quoted as it is.
 */
type JsonScalar = 'string' | 'number' | 'plainString';

/** How one orders/v2 field reads from SQL: a scalar expression, an object, or a list of objects from a child table. */
type FieldSql =
  | { kind: 'scalar'; json: JsonScalar; sql: (alias: Aliases) => string }
  | { kind: 'object'; type: string; alias: (alias: Aliases) => Aliases }
  | { kind: 'list'; type: string; from: (alias: Aliases, schema: string) => { table: string; row: string; where: string; orderBy: string } };

/** Table aliases in scope: the order row, and (inside a list) the child row. */
interface Aliases {
  order: string;
  row: string;
  /** Money fields: which amount column. */
  amount?: string;
}

// Every expression yields exactly what the orders/v2 resolvers return for the field, as JSON:
// enum names upper-case, money amounts as decimal strings, timestamps as ISO-8601 UTC with
// milliseconds (what the DateTime scalar prints). gateway/exports/exports.e2e.test.ts compares the
// two paths row by row.
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const text = (sql: (a: Aliases) => string): FieldSql => ({ kind: 'scalar', json: 'string', sql });
const money = (column: string): FieldSql => ({ kind: 'object', type: 'Money', alias: (a) => ({ ...a, amount: `${a.order}.${column}` }) });

const FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSql>>>> = {
  Order: {
    orderId: text((a) => `${a.order}.order_id`),
    customerId: text((a) => `${a.order}.customer_id`),
    customerEmail: text((a) => `${a.order}.customer_email`),
    salesChannel: text((a) => `upper(${a.order}.sales_channel)`),
    shippingCity: text((a) => `${a.order}.shipping_city`),
    shippingPostalCode: text((a) => `${a.order}.shipping_postal_code`),
    shippingCountry: text((a) => `${a.order}.shipping_country::text`),
    lifecycleState: text((a) => `upper(${a.order}.order_lifecycle_state)`),
    placedAt: { kind: 'scalar', json: 'plainString', sql: (a) => iso(`${a.order}.placed_at`) },
    confirmedAt: { kind: 'scalar', json: 'plainString', sql: (a) => iso(`${a.order}.confirmed_at`) },
    cancelledAt: { kind: 'scalar', json: 'plainString', sql: (a) => iso(`${a.order}.cancelled_at`) },
    cancellationReason: text((a) => `upper(${a.order}.cancellation_reason)`),
    orderTotal: money('order_total_amount'),
    lines: {
      kind: 'list',
      type: 'OrderLine',
      from: (a, schema) => ({ table: `${quoteIdent(schema)}.${quoteIdent('order_lines')}`, row: 'l', where: `l.order_id = ${a.order}.order_id`, orderBy: 'l.line_id' }),
    },
    statusHistory: {
      kind: 'list',
      type: 'OrderStatusChange',
      from: (a, schema) => ({ table: `${quoteIdent(schema)}.${quoteIdent('order_status_history')}`, row: 'h', where: `h.order_id = ${a.order}.order_id`, orderBy: 'h.sequence' }),
    },
  },
  OrderLine: {
    lineId: text((a) => `${a.row}.line_id`),
    sku: text((a) => `${a.row}.sku`),
    quantity: { kind: 'scalar', json: 'number', sql: (a) => `${a.row}.quantity` },
    unitPrice: { kind: 'object', type: 'Money', alias: (a) => ({ ...a, amount: `${a.row}.unit_price` }) },
    lineAmount: { kind: 'object', type: 'Money', alias: (a) => ({ ...a, amount: `${a.row}.line_amount` }) },
  },
  OrderStatusChange: {
    sequence: { kind: 'scalar', json: 'number', sql: (a) => `${a.row}.sequence` },
    lifecycleState: text((a) => `upper(${a.row}.order_lifecycle_state)`),
    occurredAt: { kind: 'scalar', json: 'plainString', sql: (a) => iso(`${a.row}.occurred_at`) },
    cancellationReason: text((a) => `upper(${a.row}.cancellation_reason)`),
  },
  Money: {
    // The amount column is the parent's (the order total, a line's unit price or amount); the
    // currency is always the order's.
    amount: { kind: 'scalar', json: 'plainString', sql: (a) => `${a.amount ?? 'null'}::text` },
    currency: text((a) => `${a.order}.currency::text`),
  },
};

/** A scalar's JSON text; `null` when the value is null, as json_build_object printed it. */
function jsonScalar(json: JsonScalar, sql: string): string {
  switch (json) {
    case 'string':
      return `coalesce(to_json(${sql})::text, 'null')`;
    case 'number':
      return `coalesce((${sql})::text, 'null')`;
    case 'plainString':
      return `coalesce('"' || ${sql} || '"', 'null')`;
  }
}

type Built = { sql: string } | { unplannable: string };

/**
 * The JSON text of an object of `type` with the selected fields, as one concatenation:
 * `{"key" : value, "key" : value}` with json_build_object's separators, lists as
 * `[element, element]` with json_agg's (an `array(...)` subquery in the list's order, joined).
 */
function buildObject(type: string, selection: readonly RowSelectionField[], aliases: Aliases, schema: string): Built {
  const parts: string[] = [];
  for (const field of selection) {
    const sql = FIELDS[type]?.[field.field];
    if (!sql) return { unplannable: `orders/v2 ${type}.${field.field} has no SQL plan` };
    let value: Built;
    switch (sql.kind) {
      case 'scalar':
        value = field.children ? { unplannable: `${type}.${field.field} is a scalar but a selection was given` } : { sql: jsonScalar(sql.json, sql.sql(aliases)) };
        break;
      case 'object':
        value = field.children ? buildObject(sql.type, field.children, sql.alias(aliases), schema) : { unplannable: `${type}.${field.field} needs a selection` };
        break;
      case 'list': {
        if (!field.children) return { unplannable: `${type}.${field.field} needs a selection` };
        const from = sql.from(aliases, schema);
        const element = buildObject(sql.type, field.children, { ...aliases, row: from.row }, schema);
        value = 'sql' in element ? { sql: `('[' || array_to_string(array(select ${element.sql} from ${from.table} ${from.row} where ${from.where} order by ${from.orderBy}), ', ') || ']')` } : element;
        break;
      }
    }
    if ('unplannable' in value) return value;
    parts.push(`${quoteLiteral(`${parts.length === 0 ? '{' : ', '}${JSON.stringify(field.key)} : `)} || ${value.sql}`);
  }
  return { sql: parts.length === 0 ? `'{}'` : `(${parts.join(' || ')} || '}')` };
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Plans the orders change feed (`Query.orderChanges`) for a selection of `Order` fields: one
 * statement per page, the same statement the GraphQL field runs (same rows, order, cursors and
 * row scope, see `orderChangesStatement`), with each row's JSON built by PostgreSQL.
 */
export function planOrderChangeRows(request: Omit<ChangeFeedRowsRequest, 'since' | 'first'>, salesChannels: readonly string[] | null) {
  const aliases: Aliases = { order: 'o', row: 'o' };
  const built = buildObject('Order', request.fields, aliases, '__SCHEMA__');
  if ('unplannable' in built) return built;
  for (const raw of request.rawFields) {
    const sql = FIELDS.Order![raw];
    if (sql?.kind !== 'scalar') return { unplannable: `orders/v2 Order.${raw} cannot be returned as a plain value` };
  }
  // One statement per schema, built once: a page only changes its parameters.
  const statements = new Map<string, { page: string; end: string }>();
  const statementsFor = (schemaName: string) => {
    let sql = statements.get(schemaName);
    if (!sql) {
      const json = buildObject('Order', request.fields, aliases, schemaName) as { sql: string };
      const raws = request.rawFields.map((field, i) => `(${(FIELDS.Order![field] as { sql: (a: Aliases) => string }).sql(aliases)})::text as "raw${i}"`);
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
