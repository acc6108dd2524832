import type { LineageGraphData } from './layoutLineage.js';
import { hrefOf } from './route.js';

/** The contract fields in a lineage graph, by contract version: who is affected. */
export function FedFields({ graph, exclude, heading }: { graph: LineageGraphData; exclude: string | null; heading: string }) {
  const fields = graph.nodes.filter((n) => n.contractField && n.id !== exclude).map((n) => n.contractField!);
  const byContract = new Map<string, typeof fields>();
  for (const f of fields) byContract.set(`${f.contract} v${f.version}`, [...(byContract.get(`${f.contract} v${f.version}`) ?? []), f]);
  return (
    <section class="fed-fields" aria-label={heading}>
      <h3>
        {heading} ({fields.length})
      </h3>
      {fields.length === 0 ? <p class="muted">None.</p> : null}
      <ul>
        {[...byContract].map(([contract, list]) => (
          <li key={contract}>
            {contract}:{' '}
            {list.map((f, i) => (
              <span key={f.coordinate}>
                {i > 0 ? ', ' : ''}
                <a href={hrefOf({ page: 'field', name: f.contract, version: f.version, coordinate: f.coordinate })}>{f.coordinate}</a>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
