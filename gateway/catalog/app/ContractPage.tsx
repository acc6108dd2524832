import { useMemo } from 'preact/hooks';
import { contractPageOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import { formatDuration } from './formatDuration.js';
import { Loaded } from './Loaded.js';
import { PendingData } from './PendingData.js';
import { untilSunset } from './untilSunset.js';
import type { FreshnessSeries } from './FreshnessChart.js';
import { FreshnessChart } from './FreshnessChart.js';
import type { ContractPageQuery } from './generated/catalogOperations.js';
import { hrefOf } from './route.js';
import type { UsageRow } from './UsageTable.js';
import { UsageTable } from './UsageTable.js';
import { useCatalogQuery } from './useCatalogQuery.js';
import { VersionDiff } from './VersionDiff.js';

type Contract = NonNullable<ContractPageQuery['contract']>;

/** A contract version: its promises, freshness, fields, usage, and what changed from the version before. */
export function ContractPage({ name, version }: { name: string; version: number }) {
  const query = useCatalogQuery(contractPageOperation, { name, version });
  return (
    <Loaded
      query={query}
      render={({ contract }) =>
        contract ? (
          <ContractView contract={contract} />
        ) : (
          <>
            <h1 tabIndex={-1}>No contract {name} v{version}</h1>
            <p role="alert">There is no such contract version, or it is not yours to see.</p>
          </>
        )
      }
    />
  );
}

function ContractView({ contract }: { contract: Contract }) {
  const documents = ['schema.graphql', 'odcs.yaml', 'openlineage.json'];
  return (
    <article class="contract" data-contract={`${contract.name}/v${contract.version}`}>
      <h1 tabIndex={-1}>
        {contract.name} v{contract.version} <Badge tone={contract.status}>{contract.status}</Badge>
      </h1>
      <p class="lead">{contract.description}</p>

      <section aria-labelledby="promises">
        <h2 id="promises">Promises</h2>
        <dl class="promises">
          <dt>Endpoint</dt>
          <dd>
            <code>{contract.path}</code>
          </dd>
          <dt>Owner</dt>
          <dd>{contract.owner}</dd>
          <dt>Audience · tier</dt>
          <dd>
            {contract.audience} · {contract.tier}
          </dd>
          <dt>Consumers</dt>
          <dd>{contract.consumers.join(', ')}</dd>
          <dt>Freshness SLA</dt>
          <dd>{contract.freshnessSlaSeconds} s</dd>
          <dt>Change policy</dt>
          <dd>{contract.changePolicy}</dd>
          <dt>Delivery guarantee</dt>
          <dd>{contract.deliveryGuarantee}</dd>
          <dt>Latency</dt>
          <dd>{contract.latencyProfile}</dd>
          {contract.sunset ? (
            <>
              <dt>Sunset</dt>
              <dd>
                {contract.sunset} ({untilSunset(contract.sunset)})
              </dd>
            </>
          ) : null}
          <dt>Published as</dt>
          <dd>
            {/* Served to API clients with their credential; the catalog session is for /catalog only. */}
            {documents.map((d, i) => (
              <span key={d}>
                {i > 0 ? ' · ' : ''}
                <code>
                  {contract.path}/{d}
                </code>
              </span>
            ))}
          </dd>
        </dl>
        <details>
          <summary>SDL as published</summary>
          <pre class="sdl">{contract.sdl}</pre>
        </details>
      </section>

      <FreshnessSection contract={contract} />

      <section aria-labelledby="fields">
        <h2 id="fields">Fields</h2>
        <table class="fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Classification</th>
              <th scope="col">Deprecation</th>
            </tr>
          </thead>
          <tbody>
            {contract.fields.map((f) => (
              <tr key={f.coordinate} data-coordinate={f.coordinate}>
                <th scope="row">
                  <a href={hrefOf({ page: 'field', name: contract.name, version: contract.version, coordinate: f.coordinate })}>{f.coordinate}</a>
                  {f.derived ? <em> derived</em> : null}
                  {f.description ? <small class="block">{f.description}</small> : null}
                </th>
                <td>
                  <code>{f.type}</code>
                </td>
                <td>
                  <Badge tone={f.classification}>{f.classification}</Badge>
                  {f.redactions.map((r) => (
                    <small key={`${r.audience}:${r.strategy}`} class="block">
                      {r.audience}: {r.strategy}
                      {r.mask ? ` (${r.mask})` : ''}
                    </small>
                  ))}
                </td>
                <td>
                  {f.deprecation ? (
                    <>
                      <Badge tone="deprecated">sunset {f.deprecation.sunset}</Badge>
                      {f.deprecation.replacement ? (
                        <small class="block">
                          use <code>{f.deprecation.replacement}</code>
                        </small>
                      ) : null}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="usage">
        <h2 id="usage">Usage per field and client</h2>
        <UsageTable rows={usageRows(contract)} />
      </section>

      <section aria-labelledby="changes">
        <h2 id="changes">{contract.diffFromPrevious ? `Changes from v${contract.diffFromPrevious.previousVersion}` : 'Changes from the previous version'}</h2>
        {contract.diffFromPrevious ? <VersionDiff diff={contract.diffFromPrevious} /> : <p>This is the first version you may see of {contract.name}: nothing to compare it with.</p>}
      </section>
    </article>
  );
}

/** Usage as the API has it today: per deprecated field and client, in the counters' 30-day window. */
function usageRows(contract: Contract): UsageRow[] {
  return contract.fields.flatMap((f) => f.usage.map((u) => ({ coordinate: f.coordinate, client: u.client, count: u.count, window: '30 days from first use', deprecated: f.deprecation !== null })));
}

function FreshnessSection({ contract }: { contract: Contract }) {
  // "Now" is when the page was read: the samples are as of then.
  const now = useMemo(() => Date.now(), [contract]);
  const series = useMemo<FreshnessSeries[]>(() => contract.freshness.map((f) => ({ projection: f.projection, slaSeconds: f.slaSeconds, points: f.status === 'UNKNOWN' ? [] : [{ at: now, lagMs: f.lagMs }] })), [contract, now]);
  return (
    <section aria-labelledby="freshness">
      <h2 id="freshness">Freshness</h2>
      <table class="freshness-now">
        <caption>Now</caption>
        <thead>
          <tr>
            <th scope="col">Projection</th>
            <th scope="col">Status</th>
            <th scope="col">As of (event time)</th>
            <th scope="col">Last applied</th>
            <th scope="col">Lag</th>
          </tr>
        </thead>
        <tbody>
          {contract.freshness.map((f) => (
            <tr key={f.projection} data-projection={f.projection}>
              <th scope="row">{f.projection}</th>
              <td>
                <Badge tone={f.status}>{f.status}</Badge>
                {f.unavailable ? <small class="block">{f.unavailable}</small> : null}
              </td>
              <td>{f.asOfEventTime ?? '—'}</td>
              <td>{f.lastAppliedAt ?? '—'}</td>
              <td>
                {f.lagEvents} events · {formatDuration(f.lagMs)} (SLA {f.slaSeconds} s)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Over the last day</h3>
      <FreshnessChart series={series} now={now} />
      <PendingData what="freshness-history">This gateway reports freshness as of now only, so the chart has one sample per projection. Its lag over the last day and the data's age will be drawn here from the recorded freshness history.</PendingData>
    </section>
  );
}
