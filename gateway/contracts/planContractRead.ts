import type { DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLFieldResolver, GraphQLLeafType, GraphQLObjectType, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective, isLeafType, isObjectType, isScalarType, Kind } from 'graphql';
import type { RowReadPlan, RowSelectionField, SubgraphVersion } from '../../platform/subgraph/index.js';
import type { RedactionRule } from '../redaction/index.js';
import { redactionFor } from '../redaction/index.js';
import type { CompiledContract, ContractAudience } from './ContractModel.js';

/** A field redacted for the audience: where it sits below its root field (response keys, lists left out), and its rule. */
export interface PlannedRedaction {
  path: readonly string[];
  rule: RedactionRule;
}

/**
 * A field of a planned object that JavaScript fills in after PostgreSQL built the object: the
 * planner printed a placeholder at `key` (so the response keeps the selection's order) and, for a
 * derived field, its sources under hidden keys, which become the record its resolver reads.
 */
export type ComputedField =
  | { kind: 'typename'; path: readonly string[]; key: string; typename: string }
  | {
      kind: 'derived';
      /** Response keys from the root field's value to the objects holding the field (lists left out). */
      path: readonly string[];
      key: string;
      /** Each source: its hidden JSON key, the record field it is read as, and how its printed value reads back (a scalar's parseValue). */
      sources: ReadonlyArray<{ hiddenKey: string; field: string; read: (printed: unknown) => unknown }>;
      /** The contract field's own resolver (the derived function behind it), as the resolver path runs it. */
      resolve: GraphQLFieldResolver<unknown, unknown>;
      /** Its output type, to serialize the result as execution does. */
      type: GraphQLLeafType;
    };

/** One root field of an operation answered by its context in one SQL statement. */
export interface PlannedRootField {
  /** The response key (alias as written). */
  key: string;
  subgraph: SubgraphVersion;
  /** The contract field and its first node, to coerce its arguments per request. */
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  plan: RowReadPlan;
  /** Redacted fields: planned as their plain values, redacted in the gateway with `applyRedaction`, as the resolvers do. */
  redactions: readonly PlannedRedaction[];
  /** Fields filled in after the JSON is parsed, in the order to fill them. */
  computed: readonly ComputedField[];
}

/** A contract operation whose every root field its contexts answer in SQL. */
export interface ContractReadPlan {
  roots: readonly PlannedRootField[];
}

/**
 * Maps an operation's selection on an audience's view of a contract onto the planners of the
 * contexts its root fields come from (by `@from`), with the response keys as JSON keys: through
 * aliases, inline and named fragments, and `@skip`/`@include` as `variables` decide them.
 * `__typename` and a derived scalar whose sources are plain fields of the same record are filled
 * in afterwards by JavaScript (the derived field by its own resolver, from the sources the plan
 * also fetched); anything else that needs JavaScript (a field of another record or context, a
 * right to check, a cursor to seal) makes the operation unplannable, and the caller runs the
 * resolvers.
 */
export function planContractRead(
  contract: CompiledContract,
  audience: ContractAudience,
  subgraphs: readonly SubgraphVersion[],
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): ContractReadPlan | { unplannable: string } {
  if (operation.operation !== 'query') return { unplannable: `a ${operation.operation} is not a read` };
  const schema = contract.views[audience].schema;
  const query = schema.getQueryType();
  if (!query) return { unplannable: 'the contract has no Query type' };
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const merged = collectMerged(operation.selectionSet, fragments, variables);
  if (typeof merged === 'string') return { unplannable: merged };

  const roots: PlannedRootField[] = [];
  for (const [key, nodes] of merged) {
    const node = nodes[0]!;
    const name = node.name.value;
    const field = query.getFields()[name];
    const meta = contract.fields.get(`Query.${name}`);
    const link = meta?.lineage[0];
    if (!field || !meta || meta.derived || meta.requiresRight || meta.lineage.length !== 1 || !link) return { unplannable: `Query.${name} is not served from one subgraph field` };
    const subgraph = subgraphs.find((s) => s.id === link.subgraph);
    const planner = subgraph?.rowReads;
    if (!subgraph || !planner?.rootFields.includes(link.subgraphField)) return { unplannable: `${link.subgraph} ${link.subgraphField} has no SQL plan` };
    const type = getNamedType(field.type);
    if (!isObjectType(type)) return { unplannable: `Query.${name} is not an object` };
    const redactions: PlannedRedaction[] = [];
    const computed: ComputedField[] = [];
    const fields = selectFields(type, nodes, [], { contract, audience, subgraphs, subgraph, fragments, variables, redactions, computed });
    if (typeof fields === 'string') return { unplannable: fields };
    const plan = planner.plan({ rootField: link.subgraphField, fields });
    if ('unplannable' in plan) return plan;
    roots.push({ key, subgraph, field, node, plan, redactions, computed });
  }
  return { roots };
}

interface Scope {
  contract: CompiledContract;
  audience: ContractAudience;
  subgraphs: readonly SubgraphVersion[];
  /** The subgraph version the root field is planned by; fields of other versions of its context are named with theirs. */
  subgraph: SubgraphVersion;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  redactions: PlannedRedaction[];
  computed: ComputedField[];
}

/** The selection of `type` under the merged `nodes` of one response key, as the planner's fields; or why not. */
function selectFields(type: GraphQLObjectType, nodes: readonly FieldNode[], path: readonly string[], scope: Scope): RowSelectionField[] | string {
  const selected = new Map<string, FieldNode[]>();
  for (const node of nodes) {
    if (!node.selectionSet) return `${type.name} needs a selection`;
    const merged = collectMerged(node.selectionSet, scope.fragments, scope.variables, selected);
    if (typeof merged === 'string') return merged;
  }
  const fields: RowSelectionField[] = [];
  const own = ownRecord(type, scope);
  for (const [key, children] of selected) {
    const name = children[0]!.name.value;
    const coordinate = `${type.name}.${name}`;
    if (name === '__typename') {
      if (!own) return `${coordinate} has no planned field to hold its place`;
      fields.push({ key, ...own.slot });
      scope.computed.push({ kind: 'typename', path, key, typename: type.name });
      continue;
    }
    const definition = type.getFields()[name];
    const meta = scope.contract.fields.get(coordinate);
    if (definition && meta?.derived) {
      const derived = planDerived(type, definition, key, path, own, scope);
      if (typeof derived === 'string') return derived;
      fields.push(...derived);
      continue;
    }
    const link = meta?.lineage[0];
    if (!definition || !meta || !link || meta.derived || meta.requiresRight || meta.lineage.length !== 1) return `${coordinate} is not served from one subgraph field`;
    if (definition.args.length > 0 || children.some((c) => c.arguments?.length)) return `${coordinate} takes arguments`;
    const source = scope.subgraphs.find((s) => s.id === link.subgraph);
    // A keyed field joins another record (often another context's): resolvers batch it.
    if (!source || source.context !== scope.subgraph.context || meta.joinKey !== null) return `${coordinate} reads ${link.subgraph} ${link.subgraphField}, another record`;
    const named = getNamedType(definition.type);
    // A cursor leaves sealed for the principal, which only its resolver does.
    if (named.name === 'Cursor') return `${coordinate} is a cursor`;
    const sourceField = link.subgraphField.split('.')[1]!;
    const fieldPath = [...path, key];
    const planned: RowSelectionField = { key, field: sourceField, ...(source.id === scope.subgraph.id ? {} : { subgraph: source.id }) };
    const rule = redactionFor(meta.redactions, scope.audience);
    if (rule) {
      if (isObjectType(named)) return `${coordinate} is a redacted object`;
      scope.redactions.push({ path: fieldPath, rule });
    }
    if (isObjectType(named)) {
      const nested = selectFields(named, children, fieldPath, scope);
      if (typeof nested === 'string') return nested;
      planned.children = nested;
    }
    fields.push(planned);
  }
  return fields;
}

/**
 * The subgraph type a contract type's own fields are served from (by the first field read from
 * the planned context without a join), and one of its scalar fields to hold a computed field's
 * place in the JSON; null when the type has none.
 */
function ownRecord(type: GraphQLObjectType, scope: Scope): { parent: string; subgraph: SubgraphVersion; slot: Pick<RowSelectionField, 'field' | 'subgraph'> } | null {
  for (const field of Object.values(type.getFields())) {
    const meta = scope.contract.fields.get(`${type.name}.${field.name}`);
    const link = meta?.lineage[0];
    if (!meta || !link || meta.derived || meta.joinKey !== null || meta.lineage.length !== 1 || isObjectType(getNamedType(field.type))) continue;
    const subgraph = scope.subgraphs.find((s) => s.id === link.subgraph);
    if (subgraph?.context !== scope.subgraph.context) continue;
    const [parent, name] = link.subgraphField.split('.') as [string, string];
    return { parent, subgraph, slot: { field: name, ...(subgraph.id === scope.subgraph.id ? {} : { subgraph: subgraph.id }) } };
  }
  return null;
}

/**
 * A derived scalar planned as a placeholder plus its sources under hidden keys, computed after by
 * its resolver: only when every source is a plain field of the type's own record (no subgraph
 * resolver between the column and the value), so the record the resolver reads holds what the
 * loaders would have given it (each printed value read back by its scalar's `parseValue`).
 */
function planDerived(type: GraphQLObjectType, definition: GraphQLField<unknown, unknown>, key: string, path: readonly string[], own: ReturnType<typeof ownRecord>, scope: Scope): RowSelectionField[] | string {
  const coordinate = `${type.name}.${definition.name}`;
  const output = getNamedType(definition.type);
  const directive = definition.astNode ? getDirectiveValues(scope.contract.schema.getDirective('derived')!, definition.astNode) : undefined;
  const refs = (directive?.from as string[] | undefined) ?? [];
  if (!own || !isLeafType(output) || !definition.resolve || definition.args.length > 0 || refs.length === 0) return `${coordinate} is derived from more than its own record`;
  const fields: RowSelectionField[] = [{ key, ...own.slot }];
  const sources: Array<{ hiddenKey: string; field: string; read: (printed: unknown) => unknown }> = [];
  for (const [i, ref] of refs.entries()) {
    const [subgraphId, fieldRef] = ref.split(':') as [string, string];
    const [parent, name] = fieldRef.split('.') as [string, string];
    const subgraph = scope.subgraphs.find((s) => s.id === subgraphId);
    const source = subgraph?.schema.getType(parent);
    const sourceField = source && isObjectType(source) ? source.getFields()[name] : undefined;
    const sourceType = sourceField ? getNamedType(sourceField.type) : undefined;
    if (!subgraph || subgraph.context !== scope.subgraph.context || parent !== own.parent || !sourceField || sourceField.resolve || !sourceType || !isScalarType(sourceType)) {
      return `${coordinate} is derived from ${ref}, not a plain field of its own record`;
    }
    const hiddenKey = `\u0000${key}\u0000${i}`;
    fields.push({ key: hiddenKey, field: name, ...(subgraph.id === scope.subgraph.id ? {} : { subgraph: subgraph.id }) });
    sources.push({ hiddenKey, field: name, read: (printed) => (printed === null || printed === undefined ? printed : sourceType.parseValue(printed)) });
  }
  scope.computed.push({ kind: 'derived', path, key, sources, resolve: definition.resolve, type: output });
  return fields;
}

/**
 * Groups a selection set's fields by response key, in first-seen order (GraphQL's CollectFields),
 * through fragments and `@skip`/`@include`; fields under one key are merged as execution merges
 * them. Adds to `into` when given.
 */
function collectMerged(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Readonly<Record<string, unknown>>, into = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> | string {
  const visited = new Set<string>();
  const included = (node: { directives?: FieldNode['directives'] }) => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  };
  const walk = (set: SelectionSetNode): string | null => {
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          // Introspection below the root is not a contract read; __typename is filled in after.
          if (selection.name.value.startsWith('__') && selection.name.value !== '__typename') return `${selection.name.value} is not planned`;
          const key = selection.alias?.value ?? selection.name.value;
          const nodes = into.get(key);
          if (nodes) nodes.push(selection);
          else into.set(key, [selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          // Contract types are object types: a condition names the type itself, or validation failed.
          const reason = walk(selection.selectionSet);
          if (reason) return reason;
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visited.has(name)) continue;
          visited.add(name);
          const reason = walk(fragment.selectionSet);
          if (reason) return reason;
          break;
        }
      }
    }
    return null;
  };
  const reason = walk(selectionSet);
  return reason ?? into;
}
