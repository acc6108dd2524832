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
            <LineageVia contract={contract} field={field} />
            <FedFields graph={field.lineageGraph} exclude={self} heading="Contract fields fed by the same columns" />
          </>
        )}
      </section>
    </article>
  );
}

/**
 * A field of a type reached through several contract fields (a shared Money.amount under an order
 * total and a line amount) is fed, under each, only by the columns that parent names: the graph
 * above is the union over its uses; this table is what a response reports at each path.
 */
function LineageVia({ contract, field }: { contract: Contract; field: Field }) {
  if (field.lineageVia.length === 0) return null;
  const type = field.coordinate.split('.')[0] ?? field.coordinate;
  return (
    <section class="lineage-via" aria-labelledby="lineage-via">
      <h3 id="lineage-via">Through each parent ({field.lineageVia.length})</h3>
      <p>
        {field.coordinate} is reached through every field of type <code>{type}</code>. Under each, the columns that feed it:
        {field.lineageVia.some((v) => v.lineage.some((l) => l.via.length > 0)) ? ' narrowed to the ones its parent reads, where the parent names fewer than the field has.' : ' its parents name all of its columns, so nothing is narrowed.'}
      </p>
      <table class="lineage-via">
        <thead>
          <tr>
            <th scope="col">Under</th>
            <th scope="col">Projection columns</th>
            <th scope="col">Topics</th>
            <th scope="col">Narrowed by</th>
          </tr>
        </thead>
        <tbody>
          {field.lineageVia.map((v) => {
            const columns = v.lineage.flatMap((l) => l.columns.map((c) => `${l.projection}/${c}`));
            const topics = [...new Map(v.lineage.flatMap((l) => l.topics).map((t) => [t.topic, t])).values()];
            const via = [...new Set(v.lineage.flatMap((l) => l.via))];
            return (
              <tr key={v.parent} data-parent={v.parent}>
                <th scope="row">
                  <a href={hrefOf({ page: 'field', name: contract.name, version: contract.version, coordinate: v.parent })}>{v.parent}</a>
                </th>
                <td>
                  {columns.length === 0 ? (
                    <span class="muted">none</span>
                  ) : (
                    <ul class="columns">
                      {columns.map((c) => (
                        <li key={c} data-column={c}>
                          <code>{c}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {topics.map((t, i) => (
                    <span key={t.topic}>
                      {i > 0 ? ', ' : ''}
                      <code>{t.topic}</code>
                    </span>
                  ))}
                </td>
                <td>{via.length === 0 ? <span class="muted">not narrowed</span> : via.map((p, i) => (
                    <span key={p}>
                      {i > 0 ? ', ' : ''}
                      <code>{p}</code>
                    </span>
                  ))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
