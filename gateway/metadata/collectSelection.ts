import type { DirectiveNode, DocumentNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { BREAK, getDirectiveValues, getNamedType, getVariableValues, GraphQLIncludeDirective, GraphQLSkipDirective, isInterfaceType, isObjectType, Kind, visit } from 'graphql';

/** One field an executed operation selects, where it sits in the response. */
export interface SelectedField {
  /**
   * Response path: the response keys (aliases as written) from the root, joined by `.`, list
   * positions left out, so every row of a list shares its fields' paths:
   * `recentCustomerOrders.orderTotal.amount`.
   */
  path: string;
  /** Schema coordinate `Type.field`. */
  coordinate: string;
  /** The path of the field this one is selected under; null at the root. */
  parentPath: string | null;
}

/** What an executed operation selects, once `@skip` and `@include` are applied. */
export interface Selection {
  /** Parents before their children. A path appears once per coordinate it resolves to. */
  fields: readonly SelectedField[];
  /** The distinct coordinates of `fields`, in first-seen order. */
  coordinates: readonly string[];
}

const EMPTY: Selection = { fields: [], coordinates: [] };
/** Variables are compared by identity: one request's plugins share one `variables` object. */
const NO_VARIABLES = {};
const cache = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, { fixed: Selection } | { byVariables: WeakMap<object, Selection> }>>();

/**
 * The fields an operation selects, as executed with `variables`: through aliases, inline and
 * named fragments (only those the operation reaches), and without what `@skip(if: true)` or
 * `@include(if: false)` leaves out, on a field or on the fragment around it. Metadata is about
 * what the response holds: a skipped field carries no deprecation, lineage, freshness or usage.
 * Introspection fields are left out. Variables that do not coerce (the operation did not
 * execute) select nothing.
 */
export function collectSelection(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined): Selection {
  let perSchema = cache.get(schema);
  if (!perSchema) cache.set(schema, (perSchema = new WeakMap()));
  const hit = perSchema.get(operation);
  if (hit && 'fixed' in hit) return hit.fixed;
  const variablesKey = variables ?? NO_VARIABLES;
  const cached = hit?.byVariables.get(variablesKey);
  if (cached) return cached;

  let coerced: Record<string, unknown> = {};
  const needsVariables = dependsOnVariables(document, operation);
  if (needsVariables) {
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], { ...variables });
    if (result.errors) return EMPTY;
    coerced = result.coerced;
  }
  const selection = walk(schema, document, operation, coerced);
  if (!needsVariables) perSchema.set(operation, { fixed: selection });
  else {
    const entry = hit ?? { byVariables: new WeakMap<object, Selection>() };
    entry.byVariables.set(variablesKey, selection);
    perSchema.set(operation, entry);
  }
  return selection;
}

function walk(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Selection {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const seen = new Set<string>();
  const fields: SelectedField[] = [];
  const coordinates = new Set<string>();
  const included = (directives: readonly DirectiveNode[] | undefined) => {
    if (!directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, { directives }, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, { directives }, variables)?.if !== false;
  };
  const visit = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, parentPath: string | null, fragmentsOnPath: ReadonlySet<string>) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection.directives)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (!parent || !(isObjectType(parent) || isInterfaceType(parent)) || parent.name.startsWith('__') || name.startsWith('__')) continue;
          const definition = parent.getFields()[name];
          if (!definition) continue;
          const key = selection.alias?.value ?? name;
          const path = parentPath === null ? key : `${parentPath}.${key}`;
          const coordinate = `${parent.name}.${name}`;
          if (!seen.has(`${path} ${coordinate}`)) {
            seen.add(`${path} ${coordinate}`);
            fields.push({ path, coordinate, parentPath });
            coordinates.add(coordinate);
          }
          if (selection.selectionSet) visit(selection.selectionSet, getNamedType(definition.type), path, fragmentsOnPath);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          visit(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : parent, parentPath, fragmentsOnPath);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          // A cycle is a validation error; never loop on one.
          if (!fragment || fragmentsOnPath.has(fragment.name.value)) continue;
          visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, parentPath, new Set([...fragmentsOnPath, fragment.name.value]));
          break;
        }
      }
    }
  };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  visit(operation.selectionSet, root ?? undefined, null, new Set());
  return { fields, coordinates: [...coordinates] };
}

/** Whether some `@skip`/`@include` the operation can reach takes its `if` from a variable. */
function dependsOnVariables(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  let found = false;
  const visitor = {
    Directive(node: DirectiveNode) {
      if ((node.name.value === 'skip' || node.name.value === 'include') && node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  };
  for (const definition of [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)]) {
    visit(definition, visitor);
    if (found) return true;
  }
  return false;
}
