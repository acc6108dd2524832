import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { isObjectType, parse, print, visit } from 'graphql';
import type { AudienceView, ContractAudience, ContractField } from './ContractModel.js';
import { CONTRACT_AUDIENCES } from './ContractModel.js';

type Problem = (coordinate: string | null, message: string, fix: string) => void;

/**
 * One schema per audience. A field with `@redact(audience: A, strategy: OMIT)` does not exist in
 * A's schema: not in execution, not in introspection, not in the SDL A can download. This is
 * enforcement by construction: no resolver, plugin or path has to remember to hide it.
 */
export function buildAudienceViews(schema: GraphQLSchema, sdl: string, fields: ReadonlyMap<string, ContractField>, problem: Problem): Record<ContractAudience, AudienceView> {
  const views = {} as Record<ContractAudience, AudienceView>;
  for (const audience of CONTRACT_AUDIENCES) {
    const omitted = new Set([...fields.values()].filter((f) => f.redactions.some((r) => r.audience === audience && r.strategy === 'OMIT')).map((f) => f.coordinate));
    // Masked and tokenized fields keep their place but not their lineage: `@from` would name the
    // internal field (and so the column) behind a partner's redacted value.
    const hiddenLineage = new Set([...fields.values()].filter((f) => f.redactions.some((r) => r.audience === audience && r.strategy !== 'OMIT')).map((f) => f.coordinate));
    if (omitted.size === 0 && hiddenLineage.size === 0) {
      views[audience] = { audience, schema, sdl, omitted };
      continue;
    }
    const audienceSchema = omitted.size === 0 ? schema : mapSchema(schema, {
      [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => (omitted.has(`${typeName}.${fieldName}`) ? null : fieldConfig),
    });
    for (const type of Object.values(audienceSchema.getTypeMap())) {
      if (isObjectType(type) && !type.name.startsWith('__') && Object.keys(type.getFields()).length === 0) {
        problem(type.name, `has no field left for ${audience} once OMIT fields are removed.`, `keep at least one field of ${type.name} visible to ${audience}, or OMIT the fields that return ${type.name}.`);
      }
    }
    views[audience] = { audience, schema: audienceSchema, sdl: withoutFields(parse(sdl), omitted, hiddenLineage), omitted };
  }
  return views;
}

/** The SDL less the omitted field definitions and the lineage directives of hidden-lineage fields (the rest kept). */
function withoutFields(document: DocumentNode, omitted: ReadonlySet<string>, hiddenLineage: ReadonlySet<string>): string {
  let typeName = '';
  return print(
    visit(document, {
      ObjectTypeDefinition: { enter: (node) => void (typeName = node.name.value) },
      FieldDefinition: (node) => {
        const coordinate = `${typeName}.${node.name.value}`;
        if (omitted.has(coordinate)) return null;
        if (hiddenLineage.has(coordinate)) return { ...node, directives: (node.directives ?? []).filter((d) => d.name.value !== 'from' && d.name.value !== 'derived') };
        return undefined;
      },
    }),
  );
}
