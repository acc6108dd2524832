import { useMemo } from 'preact/hooks';
import { deprecationsOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import { Loaded } from './Loaded.js';
import { daysUntilSunset, untilSunset } from './untilSunset.js';
import type { DeprecationsQuery } from './generated/catalogOperations.js';
import { hrefOf } from './route.js';
import { useCatalogQuery } from './useCatalogQuery.js';
import { kindLabel, LastSeen } from './UsageTable.js';

type Entry = DeprecationsQuery['deprecations'][number];

/**
 * Everything on its way out, soonest sunset first, with the clients still using it: each client
 * (not the "all clients" total) with a use in the last 30 days. Usage names other clients, so
 * the column is for internal principals only.
 */
export function DeprecationsPage() {
  const query = useCatalogQuery(deprecationsOperation, {});
  // How long ago a client was last seen is as of when the page was read.
  const now = useMemo(() => Date.now(), [query]);
  return (
    <>
      <h1 tabIndex={-1}>Deprecations</h1>
      <Loaded
        query={query}
        render={({ deprecations, viewer }) =>
          deprecations.length === 0 ? (
            <p>Nothing you may see is deprecated.</p>
          ) : (
            <table class="deprecations">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Sunset</th>
                  <th scope="col">Why, and what instead</th>
                  {viewer.audience === 'INTERNAL' ? <th scope="col">Clients still using it (30 days)</th> : null}
                </tr>
              </thead>
              <tbody>
                {deprecations.map((entry) => (
                  <DeprecationRow key={`${entry.kind}:${entry.contract?.name ?? ''}:${entry.contract?.version ?? ''}:${entry.field?.coordinate ?? entry.subgraph?.id ?? ''}`} entry={entry} internal={viewer.audience === 'INTERNAL'} now={now} />
                ))}
              </tbody>
            </table>
          )
        }
      />
    </>
  );
}

/** The clients with a use in the window: per-client rows (never the ALL total) with last30Days above zero. */
function stillUsing<T extends { kind: string; last30Days: number }>(usage: readonly T[]): T[] {
  return usage.filter((u) => u.kind !== 'ALL' && u.last30Days > 0);
}

function DeprecationRow({ entry, internal, now }: { entry: Entry; internal: boolean; now: number }) {
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
  // A field's uses; a contract version's requests; a subgraph version is not counted per client (its contract versions are).
  const usage = entry.kind === 'FIELD' ? (entry.field?.usage ?? null) : entry.kind === 'CONTRACT_VERSION' ? (entry.contract?.usage ?? null) : null;
  const clients = usage === null ? null : stillUsing(usage);
  return (
    <tr data-kind={entry.kind} data-contract={entry.contract ? `${entry.contract.name}/v${entry.contract.version}` : ''} data-coordinate={entry.field?.coordinate ?? ''}>
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
      {internal ? (
        <td>
          {clients === null ? (
            <span class="muted">not counted per client; see its contract versions</span>
          ) : clients.length === 0 ? (
            <span class="muted">none in the last 30 days</span>
          ) : (
            <ul class="clients">
              {clients.map((u) => (
                <li key={u.client} data-client={u.client} data-kind={u.kind} data-count={u.last30Days}>
                  {u.client}: {u.last30Days} <small>({kindLabel(u.kind)}, last seen <LastSeen at={u.lastSeenAt} now={now} />)</small>
                </li>
              ))}
            </ul>
          )}
        </td>
      ) : null}
    </tr>
  );
}
