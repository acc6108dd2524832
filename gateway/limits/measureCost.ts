import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getArgumentValues, getNamedType, getNullableType, GraphQLError, isCompositeType, isListType, Kind } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { getComplexity } from 'graphql-query-complexity';
import { ASSUMED_LIST_SIZE, MAX_EXPANDED_SELECTIONS } from './queryLimitErrors.js';
import { childFields, walkFields } from './walkFields.js';

export type CostMeasure = { kind: 'measured'; cost: number } | { kind: 'tooManySelections' };

const isList = (field: GraphQLField<unknown, unknown>) => isListType(getNullableType(field.type));
const firstOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): number | undefined => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  try {
    const first = getArgumentValues(field, node, variables).first;
    return typeof first === 'number' ? first : undefined;
  } catch {
    return undefined; // refused by the page-size check, which runs first
  }
};

/**
 * The units of work a `@workSize` field declares: `weight` × (its `argument`'s value, or `rows`);
 * undefined for other fields. The contract compiler has checked the directive's arguments.
 */
function workSizeOf(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'workSize');
  if (!directive) return undefined;
  const literal = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const intOf = (name: string) => {
    const value = literal(name);
    return value?.kind === Kind.INT ? Number(value.value) : undefined;
  };
  const argument = literal('argument');
  const fromArgument = argument?.kind === Kind.STRING ? args[argument.value] : undefined;
  const rows = typeof fromArgument === 'number' ? fromArgument : intOf('rows');
  return rows === undefined ? undefined : Math.max(0, rows) * (intOf('weight') ?? 1);
}

/**
 * Page sizes that a connection-style field hands down to the list it pages: in
 * `changes(first: 100) { nodes { … } }` the `first` belongs to `changes`, a non-list field, and
 * sizes `nodes`, a list without its own `first`. A list spread under several connections gets the
 * largest of their sizes.
 */
function connectionListSizes(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Record<string, unknown>): Map<FieldNode, number> {
  const sizes = new Map<FieldNode, number>();
  walkFields(schema, operation, fragments, ({ node, definition }) => {
    const type = getNamedType(definition.type);
    const first = isList(definition) ? undefined : firstOf(definition, node, variables);
    if (first === undefined || !node.selectionSet || !isCompositeType(type)) return;
    for (const child of childFields(schema, node.selectionSet, type, fragments)) {
      if (isList(child.definition) && !child.definition.args.some((arg) => arg.name === 'first')) sizes.set(child.node, Math.max(sizes.get(child.node) ?? 0, first));
    }
  });
  return sizes;
}

/**
 * The operation's cost with graphql-query-complexity, variables known:
 * - every field costs 1 plus its subtree;
 * - a list field costs 1 plus its items times the subtree of one item (at least 1 per item), its
 *   items being, in order: its `first` argument (literal, variable or the argument's default);
 *   the `first` of the connection field above it (`changes(first:) { nodes }`); the length of
 *   its one list argument (a lookup by keys, `ordersByIds(orderIds:)`, returns one item per
 *   key); else `ASSUMED_LIST_SIZE` (10: simulated orders have 1–4 lines and at most three
 *   lifecycle changes, so 10 over-estimates a real order rather than under-estimating it);
 * - a field with `@workSize` (an aggregate over N rows) costs 1 plus N × weight plus its subtree,
 *   N being its `argument`'s value or its `rows` cap: units per row it examines, whatever it returns;
 * - introspection fields (`__schema`, `__type`, `__typename` and every field of an introspection
 *   type) cost 1 plus their subtree and never multiply: their size is bounded by the schema, so
 *   the full introspection query costs a few hundred, cheap but not free;
 * - `@skip`/`@include` are evaluated with the variables, as execution will.
 * Fragments are expanded at every spread; past `MAX_EXPANDED_SELECTIONS` the walk stops and the
 * query is refused, so fragments spreading each other cannot make this walk exponential.
 */
export function measureCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Record<string, unknown>, coercedVariables: Record<string, unknown>): CostMeasure {
  const listSizes = connectionListSizes(schema, operation, fragments, coercedVariables);
  const estimator: ComplexityEstimator = ({ type, field, node, args, childComplexity }) => {
    if (type.name.startsWith('__') || field.name.startsWith('__')) return 1 + childComplexity;
    const work = workSizeOf(field, args);
    if (work !== undefined) return 1 + work + childComplexity;
    if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
    return 1 + listSize(field, node, args) * Math.max(childComplexity, 1);
  };
  const listSize = (field: GraphQLField<unknown, unknown>, node: FieldNode, args: Record<string, unknown>): number => {
    if (typeof args.first === 'number') return Math.max(0, args.first);
    const fromConnection = listSizes.get(node);
    if (fromConnection !== undefined) return fromConnection;
    const keyArguments = field.args.filter((arg) => isListType(getNullableType(arg.type)));
    const keys = keyArguments.length === 1 ? args[keyArguments[0]!.name] : undefined;
    return Array.isArray(keys) ? keys.length : ASSUMED_LIST_SIZE;
  };
  try {
    const cost = getComplexity({
      schema,
      query: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.values()] },
      variables,
      estimators: [estimator],
      // The library throws once it has evaluated this many selections: one more than allowed.
      maxQueryNodes: MAX_EXPANDED_SELECTIONS + 1,
    });
    return { kind: 'measured', cost };
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return { kind: 'tooManySelections' };
    throw error;
  }
}
