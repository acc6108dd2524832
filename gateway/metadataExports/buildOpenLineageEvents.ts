import type { CompiledContract, ContractAudience, ContractField, LineageLink } from '../contracts/index.js';
import { contractPath } from '../catalog/index.js';
import type { MetadataExportOptions, ResolvedMetadataExportOptions } from './MetadataExportOptions.js';
import { resolveMetadataExportOptions } from './MetadataExportOptions.js';

/** The OpenLineage spec and facet versions these events conform to (the `$id`s of the schemas). */
export const OPENLINEAGE_DATASET_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent';
const FACET_SCHEMAS = {
  schema: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  ownership: 'https://openlineage.io/spec/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet',
  documentation: 'https://openlineage.io/spec/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet',
  columnLineage: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  datasetType: 'https://openlineage.io/spec/facets/1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet',
} as const;
type FacetName = keyof typeof FACET_SCHEMAS;

interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations: Array<{ type: 'DIRECT'; subtype: string; description: string; masking: boolean }>;
}

/** An OpenLineage DatasetEvent (static metadata about one dataset). */
export interface OpenLineageDatasetEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  dataset: { namespace: string; name: string; facets: Partial<Record<FacetName, Record<string, unknown>>> };
}

/**
 * OpenLineage DatasetEvents for one contract version as one audience sees it, along the data
 * path: each Kafka topic its lineage reads, each projection table those topics feed, then the
 * contract itself, each with `schema`, `ownership`, `documentation` and `datasetType` facets, and
 * `columnLineage` from topic fields (event paths) to table columns to contract fields.
 *
 * Pass the principal's view (visibleContracts): a partner's has no OMIT fields and no lineage
 * for the fields redacted for it, so no topic, table or column is named on their account.
 */
export function buildOpenLineageEvents(view: CompiledContract, audience: ContractAudience, options: MetadataExportOptions = {}): OpenLineageDatasetEvent[] {
  const o = resolveMetadataExportOptions(options);
  const eventTime = o.now().toISOString();
  const facet = (name: FacetName, body: Record<string, unknown>) => ({ _producer: o.producer, _schemaURL: FACET_SCHEMAS[name], ...body });
  const event = (namespace: string, name: string, facets: OpenLineageDatasetEvent['dataset']['facets']): OpenLineageDatasetEvent => ({ eventTime, producer: o.producer, schemaURL: OPENLINEAGE_DATASET_EVENT_SCHEMA, dataset: { namespace, name, facets } });
  const { topics, tables, contractInputs } = collectLineage(view, audience, o);

  const topicEvents = [...topics].map(([topic, t]) =>
    event(o.topicNamespace, topic, {
      datasetType: facet('datasetType', { datasetType: 'TOPIC' }),
      schema: facet('schema', { fields: [...t.fields].sort().map((name) => ({ name, description: `Field ${name.slice(name.indexOf('.') + 1)} of ${name.split('.')[0]} events.` })) }),
      documentation: facet('documentation', { description: `Kafka topic ${topic}, produced by ${[...t.sourceSystems].join(', ')}. Fields are event paths (<EventType>.<path>) that lineage reads.` }),
      ownership: facet('ownership', { owners: [...t.sourceSystems].map((s) => ({ name: `application:${s}`, type: 'PRODUCER' })) }),
    }),
  );
  const tableEvents = [...tables].map(([table, t]) =>
    event(o.tableNamespace, table, {
      datasetType: facet('datasetType', { datasetType: 'TABLE' }),
      schema: facet('schema', { fields: [...t.columns.keys()].sort().map((name) => ({ name })) }),
      documentation: facet('documentation', { description: `Table ${table} of the ${t.context} bounded context, kept by projection ${[...t.projections].join(', ')} from the events of its topics (exactly once, in order per aggregate).` }),
      ownership: facet('ownership', { owners: [{ name: `context:${t.context}`, type: 'MAINTAINER' }] }),
      columnLineage: facet('columnLineage', { fields: Object.fromEntries([...t.columns].map(([column, inputs]) => [column, { inputFields: [...inputs.values()] }])) }),
    }),
  );
  const { meta } = view;
  const contractEvent = event(o.contractNamespace, `${meta.name}/v${meta.version}`, {
    datasetType: facet('datasetType', { datasetType: 'VIEW', subType: 'GRAPHQL_CONTRACT' }),
    schema: facet('schema', { fields: [...view.fields.values()].map((f, i) => ({ name: f.coordinate, type: f.type, ...(f.description ? { description: f.description } : {}), ordinal_position: i + 1 })) }),
    documentation: facet('documentation', { description: contractDocumentation(view), contentType: 'text/markdown' }),
    ownership: facet('ownership', { owners: [{ name: `team:${meta.owner}`, type: 'OWNER' }] }),
    columnLineage: facet('columnLineage', { fields: Object.fromEntries([...contractInputs].map(([coordinate, inputs]) => [coordinate, { inputFields: [...inputs.values()] }])) }),
  });
  return [...topicEvents, ...tableEvents, contractEvent];
}

interface Collected {
  topics: Map<string, { sourceSystems: Set<string>; fields: Set<string> }>;
  tables: Map<string, { context: string; projections: Set<string>; columns: Map<string, Map<string, InputField>> }>;
  contractInputs: Map<string, Map<string, InputField>>;
}

/** Walks every visible field's lineage once: contract field ← table columns ← topic event paths. */
function collectLineage(view: CompiledContract, audience: ContractAudience, o: ResolvedMetadataExportOptions): Collected {
  const collected: Collected = { topics: new Map(), tables: new Map(), contractInputs: new Map() };
  const add = (inputs: Map<string, InputField>, input: InputField) => inputs.set(`${input.namespace}|${input.name}|${input.field}`, inputs.get(`${input.namespace}|${input.name}|${input.field}`) ?? input);
  for (const field of view.fields.values()) {
    if (field.lineage.length === 0) continue;
    const inputs = collected.contractInputs.get(field.coordinate) ?? new Map<string, InputField>();
    collected.contractInputs.set(field.coordinate, inputs);
    for (const link of field.lineage) {
      for (const qualified of link.columns) {
        const { table, column, context } = o.column(link.subgraph, qualified);
        add(inputs, { namespace: o.tableNamespace, name: table, field: column, transformations: [servedAs(field, link, audience)] });
        const entry = collected.tables.get(table) ?? { context, projections: new Set<string>(), columns: new Map<string, Map<string, InputField>>() };
        collected.tables.set(table, entry);
        entry.projections.add(link.projection);
        const columnInputs = entry.columns.get(column) ?? new Map<string, InputField>();
        entry.columns.set(column, columnInputs);
        for (const eventPath of link.events) {
          const eventType = eventPath.split('.')[0] ?? eventPath;
          for (const topic of link.topics.filter((t) => t.events.includes(eventType))) {
            const t = collected.topics.get(topic.topic) ?? { sourceSystems: new Set<string>(), fields: new Set<string>() };
            collected.topics.set(topic.topic, t);
            topic.sourceSystems.forEach((s) => t.sourceSystems.add(s));
            t.fields.add(eventPath);
            add(columnInputs, { namespace: o.topicNamespace, name: topic.topic, field: eventPath, transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: `applied by projection ${link.projection}`, masking: false }] });
          }
        }
      }
    }
  }
  return collected;
}

function servedAs(field: ContractField, link: LineageLink, audience: ContractAudience): InputField['transformations'][number] {
  const masking = field.redactions.some((r) => r.audience === audience && r.strategy !== 'OMIT');
  return field.derived
    ? { type: 'DIRECT', subtype: 'TRANSFORMATION', description: `derived by the contract's resolver from ${link.subgraph} ${link.subgraphField}, among others`, masking }
    : { type: 'DIRECT', subtype: 'IDENTITY', description: `served as is from ${link.subgraph} ${link.subgraphField}`, masking };
}

function contractDocumentation(view: CompiledContract): string {
  const { meta } = view;
  return [
    meta.description,
    '',
    `- Endpoint: ${contractPath(view)} (GraphQL over HTTP; SDL at ${contractPath(view)}/schema.graphql)`,
    `- Status: ${meta.status}${meta.sunset ? `, sunset ${meta.sunset}` : ''}; tier ${meta.tier}; audience ${meta.audience}`,
    `- Consumers: ${meta.consumers.join(', ')}`,
    `- Freshness SLA: ${meta.freshnessSlaSeconds} s of processing lag${meta.freshnessBinds === 'DATA_AGE' ? `; data age at most ${meta.maxSourceSilenceSeconds} s (sources silent no longer)` : ''}`,
    `- Change policy: ${meta.changePolicy}`,
    `- Delivery guarantee: ${meta.deliveryGuarantee}`,
    `- Latency: ${meta.latencyProfile}`,
  ].join('\n');
}
