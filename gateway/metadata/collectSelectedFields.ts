import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { Kind, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

const cache = new WeakMap<OperationDefinitionNode, string[]>();

/**
 * The schema coordinates (`Type.field`) an operation selects, through aliases, inline fragments
 * and named fragments (only those the operation reaches). Introspection fields are left out.
 */
export function collectSelectedFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const hit = cache.get(operation);
  if (hit) return hit;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const reached = new Map<string, FragmentDefinitionNode>();
  const reach = (selectionSet: SelectionSetNode) =>
    visit(selectionSet, {
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment && !reached.has(fragment.name.value)) {
          reached.set(fragment.name.value, fragment);
          reach(fragment.selectionSet);
        }
      },
    });
  reach(operation.selectionSet);

  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (!parent || parent.name.startsWith('__') || node.name.value.startsWith('__')) return;
      coordinates.add(`${parent.name}.${node.name.value}`);
    },
  });
  for (const definition of [operation, ...reached.values()]) visit(definition, visitor);
  const result = [...coordinates];
  cache.set(operation, result);
  return result;
}
