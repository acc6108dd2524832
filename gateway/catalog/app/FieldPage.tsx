import { fieldPageOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import { Loaded } from './Loaded.js';
import type { FieldPageQuery } from './generated/catalogOperations.js';
import { FedFields } from './FedFields.js';
import { LineageGraph } from './LineageGraph.js';
import { hrefOf } from './route.js';
import { useCatalogQuery } from './useCatalogQuery.js';

type Contract = NonNullable<FieldPageQuery['contract']>;
type Field = NonNullable<Contract['field']>;

/** A contract field: what it is, and its lineage from source systems to every contract field its columns feed. */
export function FieldPage({ name, version, coordinate }: { name: string; version: number; coordinate: string }) {
  const query = useCatalogQuery(fieldPageOperation, { name, version, coordinate });
  return (
    <Loaded
      query={query}
      render={({ contract }) =>
        contract?.field ? (
          <FieldView contract={contract} field={contract.field} />
        ) : (
          <>
            <h1 tabIndex={-1}>No field {coordinate}</h1>
            <p role="alert">
              {name} v{version} has no field {coordinate} that you may see.
            </p>
          </>
        )
      }
    />
  );
}

function FieldView({ contract, field }: { contract: Contract; field: Field }) {
  const self = `contract:${contract.name}/v${contract.version}:${field.coordinate}`;
  return (
    <article class="field" data-coordinate={field.coordinate}>
      <h1 tabIndex={-1}>
        {field.coordinate} <Badge tone={field.classification}>{field.classification}</Badge>
      </h1>
      <p>
        In <a href={hrefOf({ page: 'contract', name: contract.name, version: contract.version })}>{contract.name} v{contract.version}</a> (owner {contract.owner})
      </p>
      {field.description ? <p class="lead">{field.description}</p> : null}
      <dl class="promises">
        <dt>Type</dt>
        <dd>
          <code>{field.type}</code>
          {field.derived ? ' (derived from several subgraph fields)' : ''}
        </dd>
        <dt>Redaction</dt>
        <dd>{field.redactions.length === 0 ? 'none' : field.redactions.map((r) => `${r.audience}: ${r.strategy}${r.mask ? ` (${r.mask})` : ''}`).join('; ')}</dd>
        {field.deprecation ? (
          <>
            <dt>Deprecated</dt>
            <dd>
              sunset {field.deprecation.sunset}
              {field.deprecation.replacement ? `, use ${field.deprecation.replacement}` : ''}. {field.deprecation.reason}
            </dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="lineage">
        <h2 id="lineage">Lineage</h2>
        {field.lineageWithheld ? (
          <p class="withheld" role="note" data-lineage="withheld">
            This field is redacted for your audience, so its lineage (source systems, topics, columns) is not shown.
          </p>
        ) : (
          <>
            <p>
              From source systems and topics, through event fields and projection columns, to the subgraph fields and this field; and from each column it reads to every other contract field that column feeds. Open a column or topic to see what changing it touches.
            </p>
            <LineageGraph graph={field.lineageGraph} focus={self} title={`Lineage of ${field.coordinate}`} />
            <FedFields graph={field.lineageGraph} exclude={self} heading="Contract fields fed by the same columns" />
          </>
        )}
      </section>
    </article>
  );
}
