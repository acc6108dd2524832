import type { GraphQLSchema, TypeNode } from 'graphql';
import { getDirectiveValues, isEnumType, isObjectType, Kind, parseType, print } from 'graphql';
import { stringify } from 'yaml';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import { contractPath } from '../catalog/index.js';
import type { MetadataExportOptions, ResolvedMetadataExportOptions } from './MetadataExportOptions.js';
import { resolveMetadataExportOptions } from './MetadataExportOptions.js';

/** The ODCS version these documents conform to. */
export const ODCS_API_VERSION = 'v3.1.0';

type OdcsValue = string | number | boolean | null | OdcsValue[] | { [key: string]: OdcsValue | undefined };
type OdcsObject = { [key: string]: OdcsValue | undefined };

/** GraphQL scalars by ODCS logical type; other scalars (Cursor, ...) are strings on the wire. */
const LOGICAL_SCALARS: Readonly<Record<string, string>> = { ID: 'string', String: 'string', Int: 'integer', Float: 'number', Boolean: 'boolean', DateTime: 'timestamp', Date: 'date' };

/**
 * An Open Data Contract Standard v3.1.0 document for one contract version as one audience sees
 * it: the `@contract` promises (owner as team, status, description, freshness as an SLA, change
 * policy and delivery guarantee as custom properties), one schema object per GraphQL object type
 * with one property per field (logical and GraphQL type, required, classification, redaction,
 * deprecation, and lineage as transform source objects).
 *
 * Pass the principal's view (visibleContracts): a partner's has no OMIT fields, and no lineage on
 * the fields redacted for it, so none is written.
 */
export function buildOdcsContract(view: CompiledContract, options: MetadataExportOptions = {}): OdcsObject {
  const o = resolveMetadataExportOptions(options);
  const { meta } = view;
  const path = contractPath(view);
  const byType = new Map<string, ContractField[]>();
  for (const field of view.fields.values()) {
    const typeName = field.coordinate.split('.')[0]!;
    byType.set(typeName, [...(byType.get(typeName) ?? []), field]);
  }
  return {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `${meta.name}-v${meta.version}`,
    name: meta.name,
    version: String(meta.version),
    status: meta.status.toLowerCase(),
    tags: [meta.tier.toLowerCase(), meta.audience.toLowerCase()],
    description: {
      purpose: meta.description,
      usage: `GraphQL over HTTP: POST queries to ${path}; the SDL is at ${path}/schema.graphql. Published for: ${meta.consumers.join(', ')}.`,
      limitations: `Changes follow the change policy: ${meta.changePolicy}`,
    },
    team: { name: meta.owner, description: `Owns ${meta.name} v${meta.version}: answers for its promises and approves its changes.` },
    servers: [{ server: 'data-product-gateway', type: 'custom', path, description: `The Data Product Gateway serves this version at ${path} (GraphQL over HTTP, bearer API key or JWT).` }],
    slaProperties: [
      { property: 'latency', value: meta.freshnessSlaSeconds, unit: 's', description: 'Freshness: a projection trailing its log (records not yet applied) for longer than this is reported STALE in extensions.freshness.' },
      ...(meta.freshnessBinds === 'DATA_AGE' && meta.maxSourceSilenceSeconds !== null
        ? [{ property: 'frequency', value: meta.maxSourceSilenceSeconds, unit: 's', description: 'Data age: the newest fact applied is at most this old (its sources are silent no longer); older is reported STALE in extensions.freshness.' }]
        : []),
      ...(meta.sunset ? [{ property: 'endOfLife', value: meta.sunset, description: `${meta.name} v${meta.version} is ${meta.status} and served until this date.` }] : []),
    ],
    authoritativeDefinitions: [{ type: 'implementation', url: `${path}/schema.graphql`, description: 'The contract SDL (with its @from, @classification and @redact directives) this document is generated from.' }],
    customProperties: [
      { property: 'audience', value: meta.audience },
      { property: 'tier', value: meta.tier },
      { property: 'consumers', value: meta.consumers },
      { property: 'changePolicy', value: meta.changePolicy },
      { property: 'deliveryGuarantee', value: meta.deliveryGuarantee },
      { property: 'latencyProfile', value: meta.latencyProfile },
      { property: 'freshnessSlaSeconds', value: meta.freshnessSlaSeconds },
      { property: 'freshnessBinds', value: meta.freshnessBinds },
      ...(meta.maxSourceSilenceSeconds !== null ? [{ property: 'maxSourceSilenceSeconds', value: meta.maxSourceSilenceSeconds }] : []),
    ],
    schema: [...byType].map(([typeName, fields]) => ({
      name: typeName,
      physicalName: typeName,
      physicalType: typeName === 'Query' ? 'GraphQL query root' : 'GraphQL object type',
      logicalType: 'object',
      ...(descriptionOf(view.schema, typeName) ? { description: descriptionOf(view.schema, typeName) } : {}),
      properties: fields.map((field) => propertyOf(view, field, o)),
    })),
  };
}

/** The ODCS document as YAML, the standard's own format. */
export function renderOdcsYaml(view: CompiledContract, options: MetadataExportOptions = {}): string {
  return stringify(buildOdcsContract(view, options), { lineWidth: 0 });
}

function descriptionOf(schema: GraphQLSchema, typeName: string): string | undefined {
  return schema.getType(typeName)?.description ?? undefined;
}

function propertyOf(view: CompiledContract, field: ContractField, o: ResolvedMetadataExportOptions): OdcsObject {
  const name = field.coordinate.slice(field.coordinate.indexOf('.') + 1);
  const type = parseType(field.type);
  const lineage = field.lineage;
  const tags = [...(field.classification === 'PII' ? ['pii'] : []), ...(field.deprecation ? ['deprecated'] : [])];
  return {
    name,
    physicalName: name,
    ...logicalTypeOf(view.schema, type),
    required: type.kind === Kind.NON_NULL_TYPE,
    ...(field.description ? { description: field.description } : {}),
    classification: field.classification.toLowerCase(),
    ...(tags.length ? { tags } : {}),
    // Lineage only where the view has it: a partner's view has none for fields redacted for it.
    ...(lineage.length
      ? {
          transformSourceObjects: [...new Set(lineage.flatMap((l) => l.columns.map((c) => { const { table, column } = o.column(l.subgraph, c); return `${table}.${column}`; })))],
          transformLogic: field.derived ? `@derived(from: [${lineage.map((l) => `"${l.subgraph}:${l.subgraphField}"`).join(', ')}])` : `@from(subgraph: "${lineage[0]!.subgraph}", field: "${lineage[0]!.subgraphField}")`,
          transformDescription: field.derived ? (derivedDescription(view.schema, field.coordinate) ?? 'Computed from several subgraph fields.') : `Served as is from ${lineage[0]!.subgraph} ${lineage[0]!.subgraphField} (projection ${lineage[0]!.projection}).`,
        }
      : {}),
    customProperties: [
      { property: 'coordinate', value: field.coordinate },
      ...(field.redactions.length ? [{ property: 'redaction', value: field.redactions.map((r) => ({ audience: r.audience, strategy: r.strategy, ...(r.mask ? { mask: r.mask } : {}) })) }] : []),
      ...(field.deprecation ? [{ property: 'deprecation', value: { reason: field.deprecation.reason, sunset: field.deprecation.sunset, deprecatedOn: field.deprecation.deprecatedOn, replacement: field.deprecation.replacement } }] : []),
      ...(lineage.length ? [{ property: 'lineage', value: lineage.map((l) => ({ subgraph: l.subgraph, subgraphField: l.subgraphField, projection: l.projection, columns: l.columns, events: l.events, topics: l.topics.map((t) => t.topic) })) }] : []),
    ],
  };
}

/** `logicalType` (and, for lists, `items`; for enums, the allowed values as a pattern) of a GraphQL type. */
function logicalTypeOf(schema: GraphQLSchema, type: TypeNode): OdcsObject {
  const physicalType = print(type);
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (inner.kind === Kind.LIST_TYPE) return { logicalType: 'array', physicalType, items: logicalTypeOf(schema, inner.type) };
  const named = schema.getType(inner.name.value);
  if (isObjectType(named)) return { logicalType: 'object', physicalType };
  if (isEnumType(named)) return { logicalType: 'string', physicalType, logicalTypeOptions: { pattern: `^(${named.getValues().map((v) => v.name).join('|')})$` } };
  return { logicalType: LOGICAL_SCALARS[inner.name.value] ?? 'string', physicalType };
}

function derivedDescription(schema: GraphQLSchema, coordinate: string): string | null {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const type = schema.getType(typeName);
  const node = isObjectType(type) ? type.getFields()[fieldName]?.astNode : undefined;
  const derived = schema.getDirective('derived');
  const values = node && derived ? getDirectiveValues(derived, node) : undefined;
  return values ? String(values.description) : null;
}
