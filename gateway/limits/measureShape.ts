import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { Kind, parse, print, TokenKind, validate } from 'graphql';

/** What the document looks like, independent of variables. */
export interface QueryShape {
  /** Lexical tokens of the whole document, counted as the parser's `maxTokens` counts them. */
  tokens: number;
  aliases: number;
  depth: number;
}

/**
 * Apollo's document store hands the same DocumentNode to every request with the same query text,
 * so a shape measured once serves them all.
 */
const measured = new WeakMap<OperationDefinitionNode, QueryShape>();

/** Tokens as `parse(…, { maxTokens })` counts them: neither the start and end markers nor comments. */
export function countTokens(document: DocumentNode): number {
  // The parser links every token it read; a document built without locations is printed and re-read.
  let token = (document.loc ?? parse(print(document)).loc)?.startToken ?? null;
  let count = 0;
  for (; token; token = token.next) {
    if (token.kind !== TokenKind.SOF && token.kind !== TokenKind.EOF && token.kind !== TokenKind.COMMENT) count += 1;
  }
  return count;
}

/**
 * Tokens, aliases and depth of `operation`. Aliases and depth are graphql-armor's rules, run
 * through `validate` with only those two rules, over a document holding just this operation and
 * the fragments. Their limit is set to infinity so they never throw, and their `onAccept` hook
 * reports the measured value; comparing it against the caller's limit happens in
 * `checkQueryLimits`, which then writes one error format for every limit. Both rules expand each
 * fragment once and reuse its count at every further spread, so they are linear in the document.
 * Depth uses `flattenFragments` (a fragment is not a level of the response) and ignores
 * `__schema` (introspection is bounded by the schema, and priced by the cost limit instead).
 * `@skip`/`@include` are not evaluated: a skipped field still counts, the strict reading.
 */
export function measureShape(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): QueryShape {
  const known = measured.get(operation);
  if (known) return known;
  let aliases = 0;
  let depth = 0;
  const fragments = document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);
  const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  validate(schema, single, [
    maxAliasesRule({ n: Number.POSITIVE_INFINITY, allowList: ['__typename'], onAccept: [(_context, details: { n: number }) => (aliases = details.n)] }),
    maxDepthRule({ n: Number.POSITIVE_INFINITY, ignoreIntrospection: true, flattenFragments: true, onAccept: [(_context, details: { n: number }) => (depth = details.n)] }),
  ]);
  const shape = { tokens: countTokens(document), aliases, depth };
  measured.set(operation, shape);
  return shape;
}
