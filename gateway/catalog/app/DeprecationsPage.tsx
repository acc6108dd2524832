import { deprecationsOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import { Loaded } from './Loaded.js';
import { PendingData } from './PendingData.js';
import { daysUntilSunset, untilSunset } from './untilSunset.js';
import type { DeprecationsQuery } from './generated/catalogOperations.js';
import { hrefOf } from './route.js';
import { useCatalogQuery } from './useCatalogQuery.js';

type Entry = DeprecationsQuery['deprecations'][number];

/** Everything on its way out, soonest sunset first, with the clients still using it. */
export function DeprecationsPage() {
  const query = useCatalogQuery(deprecationsOperation, {});
  return (
    <>
      <h1 tabIndex={-1}>Deprecations</h1>
      <Loaded
        query={query}
        render={({ deprecations }) =>
          deprecations.length === 0 ? (
            <p>Nothing you may see is deprecated.</p>
          ) : (
            <table class="deprecations">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Sunset</th>
                  <th scope="col">Why, and what instead</th>
                  <th scope="col">Clients still using it (30 days)</th>
                </tr>
              </thead>
              <tbody>
                {deprecations.map((entry) => (
                  <DeprecationRow key={`${entry.kind}:${entry.contract?.name ?? ''}:${entry.contract?.version ?? ''}:${entry.field?.coordinate ?? entry.subgraph?.id ?? ''}`} entry={entry} />
                ))}
              </tbody>
            </table>
          )
        }
      />
      <PendingData what="usage-per-client">Uses are counted per deprecated field only; whole contract and subgraph versions have no use count yet.</PendingData>
    </>
  );
}

function DeprecationRow({ entry }: { entry: Entry }) {
  const what = (() => {
    switch (entry.kind) {
      case 'FIELD':
        return (
          <>
            <a href={hrefOf({ page: 'field', name: entry.contract!.name, version: entry.contract!.version, coordinate: entry.field!.coordinate })}>{entry.field!.coordinate}</a> <small>field of {entry.contract!.name} v{entry.contract!.version}</small>
          </>
        );
      case 'CONTRACT_VERSION':
        return (
          <>
            <a href={hrefOf({ page: 'contract', name: entry.contract!.name, version: entry.contract!.version })}>
              {entry.contract!.name} v{entry.contract!.version}
            </a>{' '}
            <small>contract version</small>
          </>
        );
      case 'SUBGRAPH_VERSION':
        return (
          <>
            <code>{entry.subgraph!.path}</code> <small>subgraph version</small>
          </>
        );
    }
  })();
  const usage = entry.field?.usage ?? null;
  return (
    <tr data-kind={entry.kind} data-coordinate={entry.field?.coordinate ?? ''}>
      <th scope="row">{what}</th>
      <td>
        <Badge tone={daysUntilSunset(entry.sunset) < 0 ? 'passed' : 'deprecated'}>{entry.sunset}</Badge>
        <small class="block">{untilSunset(entry.sunset)}</small>
      </td>
      <td>
        {entry.reason ?? ''}
        {entry.replacement ? (
          <small class="block">
            instead: <code>{entry.replacement}</code>
          </small>
        ) : null}
      </td>
      <td>
        {usage === null ? (
          <span class="muted">not counted</span>
        ) : usage.length === 0 ? (
          <span class="muted">none recorded</span>
        ) : (
          <ul class="clients">
            {usage.map((u) => (
              <li key={u.client} data-client={u.client}>
                {u.client}: {u.count}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
