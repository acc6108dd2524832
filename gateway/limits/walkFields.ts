import type { FieldNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLField, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef } from 'graphql';

export interface WalkedField {
  node: FieldNode;
  definition: GraphQLField<unknown, unknown>;
  parentType: GraphQLCompositeType;
  /** Response keys from the root, dot-separated (`a0.orderLines`); inside a fragment, the path where it is first spread. */
  path: string;
}

/** The schema's definition of `name` on `parentType`, meta fields included; undefined for a field validation would refuse. */
export function fieldDefinition(schema: GraphQLSchema, parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parentType === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (parentType === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
}

/** Fragment definitions by name. */
export function fragmentsOf(definitions: readonly FragmentDefinitionNode[]): Map<string, FragmentDefinitionNode> {
  return new Map(definitions.map((fragment) => [fragment.name.value, fragment]));
}

/**
 * Calls `visit` once for every field node of the operation, fragments included. Each named
 * fragment is walked once, where it is first spread: a field's arguments do not depend on where
 * its fragment is spread, and walking each spread would make a document of fragments that
 * spread each other several times exponential to walk.
 */
export function walkFields(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, visit: (field: WalkedField) => void): void {
  const walkedFragments = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, path: string): void => {
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const definition = fieldDefinition(schema, parentType, selection.name.value);
          if (!definition) break;
          const fieldPath = path === '' ? (selection.alias ?? selection.name).value : `${path}.${(selection.alias ?? selection.name).value}`;
          visit({ node: selection, definition, parentType, path: fieldPath });
          const type = getNamedType(definition.type);
          if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type, fieldPath);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
          if (isCompositeType(type)) walk(selection.selectionSet, type, path);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || walkedFragments.has(fragment.name.value)) break;
          walkedFragments.add(fragment.name.value);
          const type = schema.getType(fragment.typeCondition.name.value);
          if (isCompositeType(type)) walk(fragment.selectionSet, type, path);
          break;
        }
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, '');
}

/**
 * The fields selected directly in `selectionSet` (one level down, through inline fragments and
 * spreads), with their definitions: what a connection's page size applies to.
 */
export function childFields(schema: GraphQLSchema, selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Array<{ node: FieldNode; definition: GraphQLField<unknown, unknown> }> {
  const children: Array<{ node: FieldNode; definition: GraphQLField<unknown, unknown> }> = [];
  const seenFragments = new Set<string>();
  const collect = (set: SelectionSetNode, type: GraphQLCompositeType): void => {
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const definition = fieldDefinition(schema, type, selection.name.value);
          if (definition) children.push({ node: selection, definition });
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          if (isCompositeType(condition)) collect(selection.selectionSet, condition);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seenFragments.has(fragment.name.value)) break;
          seenFragments.add(fragment.name.value);
          const condition = schema.getType(fragment.typeCondition.name.value);
          if (isCompositeType(condition)) collect(fragment.selectionSet, condition);
          break;
        }
      }
    }
  };
  collect(selectionSet, parentType);
  return children;
}
