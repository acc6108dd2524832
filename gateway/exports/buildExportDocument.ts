import type { GraphQLField, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType } from 'graphql';

/** The root field an exportable contract pages through (DESIGN §9a): `changes(since, first)`. */
export const CHANGE_FEED_FIELD = 'changes';

export interface ExportDocument {
  /** `query Export($since: Cursor, $first: Int!) { changes(since: $since, first: $first) { nodes { … } endCursor hasMore } }` */
  document: string;
  /** The same page without its rows: `{ changes(since: $since, first: $first) { endCursor hasMore } }`, to learn where pages end. */
  pageEndDocument: string;
  /** Name of the row type (`PartnerOrderStatus`). */
  nodeType: string;
  /** Coordinates of every field an exported row holds, in selection order (nested ones included). */
  fields: string[];
}

/**
 * The page query of an export, built from the principal's view of the contract (never from a
 * list kept elsewhere): every field of the row type, recursively, as that view has it. A field
 * omitted for the audience is not in the view, so it cannot be selected; MASK and TOKENIZE are
 * applied by the view's resolvers, as for any query. A field that needs an argument without a
 * default, or an interface or union, is left out (no contract row has one yet); a type already on
 * the path is not entered again, so a cycle cannot recurse.
 *
 * Returns a sentence saying why the contract cannot be exported when it has no change feed.
 */
export function buildExportDocument(schema: GraphQLSchema): ExportDocument | { problem: string } {
  const feed = schema.getQueryType()?.getFields()[CHANGE_FEED_FIELD];
  const shape = 'a root field `changes(since: Cursor, first: Int!)` returning `{ nodes: [Row!]!, endCursor: Cursor, hasMore: Boolean! }`';
  if (!feed) return { problem: `has no change feed: exports page through ${shape}.` };
  const since = feed.args.find((a) => a.name === 'since');
  const first = feed.args.find((a) => a.name === 'first');
  const page = getNamedType(feed.type);
  const pageFields = isObjectType(page) ? page.getFields() : {};
  const nodes = pageFields.nodes;
  const rowType = nodes ? getNamedType(nodes.type) : undefined;
  if (!since || isNonNullType(since.type) || !first || !pageFields.endCursor || !pageFields.hasMore || !nodes || !isListType(isNonNullType(nodes.type) ? nodes.type.ofType : nodes.type) || !rowType || !isObjectType(rowType)) {
    return { problem: `has a \`changes\` field of another shape (${CHANGE_FEED_FIELD}(${feed.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')}): ${String(feed.type)}); exports need ${shape}.` };
  }
  const fields: string[] = [];
  const selection = selectionOf(rowType, new Set([rowType.name]), fields);
  if (!selection) return { problem: `has no field of ${rowType.name} an export can select.` };
  const variables = `($since: ${String(since.type)}, $first: ${String(first.type)})`;
  const document = `query Export${variables} { ${CHANGE_FEED_FIELD}(since: $since, first: $first) { nodes ${selection} endCursor hasMore } }`;
  const pageEndDocument = `query ExportPageEnd${variables} { ${CHANGE_FEED_FIELD}(since: $since, first: $first) { endCursor hasMore } }`;
  return { document, pageEndDocument, nodeType: rowType.name, fields };
}

function selectionOf(type: GraphQLObjectType, path: ReadonlySet<string>, fields: string[]): string | null {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (!selectableWithoutArguments(field)) continue;
    const coordinate = `${type.name}.${field.name}`;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
      fields.push(coordinate);
    } else if (isObjectType(named) && !path.has(named.name)) {
      const nested: string[] = [];
      const inner = selectionOf(named, new Set([...path, named.name]), nested);
      if (inner) {
        parts.push(`${field.name} ${inner}`);
        fields.push(coordinate, ...nested);
      }
    }
  }
  return parts.length > 0 ? `{ ${parts.join(' ')} }` : null;
}

function selectableWithoutArguments(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
}
