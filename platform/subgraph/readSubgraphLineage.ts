import type { GraphQLField, GraphQLNamedType } from 'graphql';
import { getDirectiveValues, isObjectType } from 'graphql';
import type { SubgraphVersion } from './SubgraphVersion.js';

export interface FieldLineage {
  projection: string;
  columns: string[];
  events: string[];
}

function directive(schemaOwner: SubgraphVersion, name: string) {
  const found = schemaOwner.schema.getDirective(name);
  if (!found) throw new Error(`Subgraph ${schemaOwner.id} does not declare @${name}.`);
  return found;
}

/** The `@lineage` of a subgraph field, or null when it has none. */
export function fieldLineage(subgraph: SubgraphVersion, field: GraphQLField<unknown, unknown>): FieldLineage | null {
  if (!field.astNode) return null;
  const values = getDirectiveValues(directive(subgraph, 'lineage'), field.astNode);
  return values ? { projection: String(values.projection), columns: values.columns as string[], events: values.events as string[] } : null;
}

/** The `@model` record name of a subgraph object type, or null. */
export function typeModel(subgraph: SubgraphVersion, type: GraphQLNamedType): string | null {
  if (!isObjectType(type) || !type.astNode) return null;
  const values = getDirectiveValues(directive(subgraph, 'model'), type.astNode);
  return values ? String(values.name) : null;
}
