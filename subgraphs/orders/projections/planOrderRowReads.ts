import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import type { RowReadPlan, RowReadRequest, RowScope } from '../../../platform/subgraph/index.js';
import { buildOrderJson } from './buildOrderJson.js';

/** The root fields of orders (both versions) that one statement answers, JSON built by PostgreSQL. */
export const ORDER_ROW_READ_FIELDS = ['Query.order', 'Query.orders'] as const;

/**
 * Plans `Query.order(orderId)` and `Query.orders(first, after)` for a selection of `Order`
 * fields: one statement, with the rows, order and row scope of `createOrderTimelineLoaders`
 * (`orderById`, `listOrders`), lines and history as correlated subqueries built into each
 * order's JSON. `salesChannelsOf` turns a row scope into the projection's channel values (and
 * rejects one the subgraph does not declare, as `createContext` does).
 */
export function planOrderRowReads(request: RowReadRequest, salesChannelsOf: (rowScope: RowScope | null) => readonly string[] | null): RowReadPlan | { unplannable: string } {
  if (!(ORDER_ROW_READ_FIELDS as readonly string[]).includes(request.rootField)) return { unplannable: `orders has no SQL plan for ${request.rootField}` };
  const list = request.rootField === 'Query.orders';
  const checked = buildOrderJson(request.fields, '__SCHEMA__');
  if ('unplannable' in checked) return checked;
  // One statement per schema and scoping, built once: a request only changes its parameters.
  const statements = new Map<string, string>();
  const statementFor = (schemaName: string, scoped: boolean) => {
    const key = `${scoped}:${schemaName}`;
    let sql = statements.get(key);
    if (!sql) {
      sql = (list ? ordersStatement : orderStatement)(schemaName, (buildOrderJson(request.fields, schemaName) as { sql: string }).sql, scoped);
      statements.set(key, sql);
    }
    return sql;
  };
  return {
    refuses(args) {
      if (!list) return typeof args.orderId === 'string' ? null : 'orderId is not a string';
      const { first, after } = args;
      // The resolver path answers anything else (and query limits refuse it before either runs).
      if (typeof first !== 'number' || !Number.isSafeInteger(first) || first < 0) return `first is ${String(first)}, not a page size`;
      return after === null || after === undefined || typeof after === 'string' ? null : 'after is not a string';
    },
    async run(db: Queryable, schemaName: string, args, rowScope) {
      const channels = salesChannelsOf(rowScope);
      const params = list ? [args.first, args.after ?? null] : [args.orderId];
      const { rows } = await db.query<{ json: string | null; rows: number }>(statementFor(schemaName, channels !== null), channels === null ? params : [...params, channels]);
      const row = rows[0];
      return row?.json ? { json: row.json, rows: row.rows } : { json: 'null', rows: 0 };
    },
  };
}

const table = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** `orderById`: the order, or no row (null) when unknown or out of scope. */
function orderStatement(schema: string, json: string, scoped: boolean): string {
  return `select ${json} as "json", 1 as "rows" from ${table(schema, 'orders')} o where o.order_id = $1${scoped ? ' and o.sales_channel = any($2::text[])' : ''}`;
}

/**
 * `listOrders`: newest first, keyset after the `after` order (looked up in scope, so an order out
 * of scope gives an empty page, as an unknown one does), aggregated into one JSON array in the
 * page's order.
 */
function ordersStatement(schema: string, json: string, scoped: boolean): string {
  const inScope = (column: string) => (scoped ? ` and ${column} = any($3::text[])` : '');
  return `select coalesce('[' || string_agg(${json}, ', ' order by o.placed_at desc, o.order_id desc) || ']', '[]') as "json", count(*)::int as "rows"
    from (select * from ${table(schema, 'orders')} p
          where ($2::text is null or (p.placed_at, p.order_id) < (select placed_at, order_id from ${table(schema, 'orders')} where order_id = $2${inScope('sales_channel')}))${inScope('p.sales_channel')}
          order by p.placed_at desc, p.order_id desc limit $1) o`;
}
