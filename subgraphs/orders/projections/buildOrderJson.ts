import { quoteIdent, quoteLiteral } from '../../../platform/database/index.js';
import type { RowSelectionField } from '../../../platform/subgraph/index.js';

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

/**
 * orders/v1 fields a contract may serve beside v2 ones (same record, same alias scope): the
 * overloaded status string and money as a float (numeric printed bare is the JSON number the v1
 * resolver's `Number(amount)` prints).
 */
const V1_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSql>>>> = {
  Order: {
    status: text((a) => `upper(${a.order}.order_lifecycle_state)`),
    total: { kind: 'scalar', json: 'number', sql: (a) => `${a.order}.order_total_amount` },
  },
};
const FIELDS_OF: Readonly<Record<string, typeof FIELDS>> = { 'orders/v2': FIELDS, 'orders/v1': V1_FIELDS };

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
    const version = field.subgraph ?? 'orders/v2';
    const sql = FIELDS_OF[version]?.[type]?.[field.field];
    if (!sql) return { unplannable: `${version} ${type}.${field.field} has no SQL plan` };
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

/** The order row's alias in statements that use `buildOrderJson`. */
export const ORDER_ALIAS = 'o';

/**
 * The JSON text of an orders/v2 `Order` (alias `o`) with the selected fields, keyed by each
 * field's `key`, as one SQL expression; lists of lines and history as correlated subqueries in
 * their order. Shared by every planned read of orders (the change feed, `order`, `orders`), so a
 * field prints the same wherever it is read.
 */
export function buildOrderJson(selection: readonly RowSelectionField[], schemaName: string): Built {
  return buildObject('Order', selection, { order: ORDER_ALIAS, row: ORDER_ALIAS }, schemaName);
}

/** An `Order` scalar field's plain SQL value (as the change feed returns redacted fields raw), or null when it is not a scalar. */
export function orderScalarSql(field: string): string | null {
  const sql = FIELDS.Order?.[field];
  return sql?.kind === 'scalar' ? sql.sql({ order: ORDER_ALIAS, row: ORDER_ALIAS }) : null;
}
