/** How exported metadata names the datasets and who produced it. Every option has a default. */
export interface MetadataExportOptions {
  /**
   * Postgres schema per bounded context, to name projection tables `<schema>.<table>`. Default:
   * the context's name, as the projector uses it (the gateway passes its own projectionSchemas).
   */
  projectionSchemas?: Readonly<Record<string, string>>;
  /**
   * OpenLineage namespace of the contract datasets the gateway serves. Default
   * `graphql://data-product-gateway`. The three namespaces are logical by default: a broker list
   * or a database URL differs per environment and may carry credentials, which an export must not.
   */
  contractNamespace?: string;
  /** OpenLineage namespace of the projection tables. Default `postgres://data-product-gateway`. */
  tableNamespace?: string;
  /** OpenLineage namespace of the Kafka topics. Default `kafka://data-product-gateway`. */
  topicNamespace?: string;
  /** `producer` of each OpenLineage event and `_producer` of each facet (a URI). Default `urn:data-product-gateway:metadata-exports`. */
  producer?: string;
  /** Clock for `eventTime`. Default `() => new Date()`. */
  now?: () => Date;
}

export interface ResolvedMetadataExportOptions extends Required<Omit<MetadataExportOptions, 'projectionSchemas'>> {
  /** The table a lineage column (`table.column`) of a subgraph (`<context>/v<N>`) lives in, and the column's name. */
  column(subgraph: string, column: string): { table: string; column: string; context: string };
}

export function resolveMetadataExportOptions(options: MetadataExportOptions = {}): ResolvedMetadataExportOptions {
  return {
    contractNamespace: options.contractNamespace ?? 'graphql://data-product-gateway',
    tableNamespace: options.tableNamespace ?? 'postgres://data-product-gateway',
    topicNamespace: options.topicNamespace ?? 'kafka://data-product-gateway',
    producer: options.producer ?? 'urn:data-product-gateway:metadata-exports',
    now: options.now ?? (() => new Date()),
    column(subgraph, qualified) {
      const context = subgraph.split('/')[0] ?? subgraph;
      const dot = qualified.indexOf('.');
      const schema = options.projectionSchemas?.[context] ?? context;
      return dot < 0 ? { table: schema, column: qualified, context } : { table: `${schema}.${qualified.slice(0, dot)}`, column: qualified.slice(dot + 1), context };
    },
  };
}
