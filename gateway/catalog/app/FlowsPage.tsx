import { flowsOperation } from './catalogQueries.js';
import { Loaded } from './Loaded.js';
import type { FlowsQuery } from './generated/catalogOperations.js';
import { useCatalogQuery } from './useCatalogQuery.js';

type ContextFlow = FlowsQuery['contexts'][number];

/** Each bounded context's flow now: what it quarantined, and its own summaries (e.g. open exceptions per owner). */
export function FlowsPage() {
  const query = useCatalogQuery(flowsOperation, {});
  return (
    <>
      <h1 tabIndex={-1}>Flow now</h1>
      <Loaded query={query} render={({ contexts }) => (contexts.length === 0 ? <p>No flow to show to your principal.</p> : contexts.map((c) => <ContextSection key={c.context} flow={c} />))} />
    </>
  );
}

function ContextSection({ flow }: { flow: ContextFlow }) {
  const total = (state: string) => flow.quarantine?.filter((q) => q.state === state).reduce((sum, q) => sum + q.entries, 0) ?? 0;
  return (
    <section class="context-flow" data-context={flow.context} aria-labelledby={`flow-${flow.context}`}>
      <h2 id={`flow-${flow.context}`}>{flow.context}</h2>
      <p>
        {flow.description} <small>Owner {flow.owner}.</small>
      </p>
      <h3>Quarantine</h3>
      {flow.quarantine === null ? (
        <p role="alert">Could not be read now (see the gateway log).</p>
      ) : (
        <>
          <p class="quarantine-totals" data-open={total('open')} data-redriven={total('redriven')}>
            {total('open')} open, {total('redriven')} re-driven
          </p>
          {flow.quarantine.length > 0 ? (
            <table class="quarantine">
              <thead>
                <tr>
                  <th scope="col">Projection</th>
                  <th scope="col">Reason</th>
                  <th scope="col">State</th>
                  <th scope="col">Entries</th>
                </tr>
              </thead>
              <tbody>
                {flow.quarantine.map((q) => (
                  <tr key={`${q.projection}:${q.reasonCode}:${q.state}`} data-reason={q.reasonCode} data-state={q.state}>
                    <td>{q.projection}</td>
                    <td>
                      <code>{q.reasonCode}</code>
                    </td>
                    <td>{q.state}</td>
                    <td class="number">{q.entries}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
      {flow.summaries.map((summary) => (
        <div key={summary.title} class="flow-summary" data-title={summary.title}>
          <h3>{summary.title}</h3>
          {summary.rows === null ? (
            <p role="alert">Unavailable right now (see /metrics and the gateway log).</p>
          ) : (
            <table class="flow">
              <thead>
                <tr>
                  {summary.labels.map((l) => (
                    <th key={l} scope="col">
                      {l}
                    </th>
                  ))}
                  <th scope="col">count</th>
                </tr>
              </thead>
              <tbody>
                {summary.rows.length === 0 ? (
                  <tr>
                    <td colSpan={summary.labels.length + 1}>none</td>
                  </tr>
                ) : (
                  summary.rows.map((row) => (
                    <tr key={row.labels.join('|')}>
                      {row.labels.map((v, i) => (
                        <td key={summary.labels[i]}>{v}</td>
                      ))}
                      <td class="number">{row.value}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}
