import { useMemo } from 'preact/hooks';
import { contractPageOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import { formatDuration } from './formatDuration.js';
import { Loaded } from './Loaded.js';
import { untilSunset } from './untilSunset.js';
import type { FreshnessSeries } from './FreshnessChart.js';
import { FreshnessChart } from './FreshnessChart.js';
import type { ContractPageQuery } from './generated/catalogOperations.js';
import { hrefOf } from './route.js';
import { FieldUsageTable, RequestsTable } from './UsageTable.js';
import { useCatalogQuery } from './useCatalogQuery.js';
import { VersionDiff } from './VersionDiff.js';

type Contract = NonNullable<ContractPageQuery['contract']>;
type Sample = Contract['freshnessHistory'][number]['samples'][number];

/** A contract version: its promises, freshness, fields, usage, and what changed from the version before. */
export function ContractPage({ name, version }: { name: string; version: number }) {
  const query = useCatalogQuery(contractPageOperation, { name, version });
  return (
    <Loaded
      query={query}
      render={({ contract, viewer }) =>
        contract ? (
          <ContractView contract={contract} internal={viewer.audience === 'INTERNAL'} />
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

function ContractView({ contract, internal }: { contract: Contract; internal: boolean }) {
  // "Now" is when the page was read: the samples, and how long ago a client was last seen, are as of then.
  const now = useMemo(() => Date.now(), [contract]);
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
          <dd>
            {contract.freshnessSlaSeconds} s on the processing lag
            {contract.freshnessBinds === 'DATA_AGE' && contract.maxSourceSilenceSeconds !== null ? `, and at most ${contract.maxSourceSilenceSeconds} s of data age (source silence)` : ''}
          </dd>
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

      <FreshnessSection contract={contract} now={now} />

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

      <UsageSection contract={contract} internal={internal} now={now} />

      <section aria-labelledby="changes">
        <h2 id="changes">{contract.diffFromPrevious ? `Changes from v${contract.diffFromPrevious.previousVersion}` : 'Changes from the previous version'}</h2>
        {contract.diffFromPrevious ? <VersionDiff diff={contract.diffFromPrevious} /> : <p>This is the first version you may see of {contract.name}: nothing to compare it with.</p>}
      </section>
    </article>
  );
}

/** Fields nobody used in the 30-day window: candidates to deprecate, or to ask about. */
function unusedFields(contract: Contract): string[] {
  return contract.fields.filter((f) => (f.usage[0]?.last30Days ?? 0) === 0).map((f) => f.coordinate);
}

function UsageSection({ contract, internal, now }: { contract: Contract; internal: boolean; now: number }) {
  const unused = unusedFields(contract);
  return (
    <section aria-labelledby="usage">
      <h2 id="usage">Usage per client</h2>
      {internal ? (
        <>
          <p>
            Over the rolling 30 days of UTC dates. A client is the calling principal, a declared consumer named by the <code>apollographql-client-name</code> header, or <em>unidentified</em> (any other name).
          </p>
          <RequestsTable rows={contract.usage} now={now} />
          <FieldUsageTable groups={contract.fields.map((f) => ({ coordinate: f.coordinate, deprecated: f.deprecation !== null, rows: f.usage }))} now={now} />
          {unused.length > 0 ? (
            <details class="unused-fields">
              <summary>
                {unused.length} of {contract.fields.length} fields not used in the last 30 days
              </summary>
              <ul>
                {unused.map((coordinate) => (
                  <li key={coordinate} data-coordinate={coordinate}>
                    <code>{coordinate}</code>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : (
        <p class="muted">Usage names other clients: it is shown to internal principals only.</p>
      )}
    </section>
  );
}

const BINDS: Record<string, string> = {
  PROCESSING_LAG: "the processing lag: a projection is STALE when it trails its log for longer than the SLA. The data's age is shown, not bound.",
  DATA_AGE: "the processing lag and the data's age: a projection is STALE when it trails its log for longer than the SLA, or when its newest fact is older than the silence allowed (a source gone quiet).",
};

/** One measure of the history as chart series: `value` of each sample, flagged STALE when `bound` is exceeded. */
function historySeries(contract: Contract, value: (sample: Sample) => number | null, bound: string): FreshnessSeries[] {
  return contract.freshnessHistory.map((h) => ({
    projection: h.projection,
    points: h.samples.map((s) => ({ at: Date.parse(s.at), valueMs: s.unavailable === null ? value(s) : null, flag: s.unavailable !== null ? 'unknown' : s.staleBecause.includes(bound) ? 'stale' : null })),
  }));
}

function FreshnessSection({ contract, now }: { contract: Contract; now: number }) {
  const lag = useMemo(() => historySeries(contract, (s) => s.lagMs, 'PROCESSING_LAG'), [contract]);
  const age = useMemo(() => historySeries(contract, (s) => s.dataAgeMs, 'DATA_AGE'), [contract]);
  const lagBound = useMemo(() => ({ label: `the ${contract.freshnessSlaSeconds} s SLA`, seconds: contract.freshnessSlaSeconds }), [contract]);
  const ageBound = useMemo(() => (contract.freshnessBinds === 'DATA_AGE' && contract.maxSourceSilenceSeconds !== null ? { label: `${contract.maxSourceSilenceSeconds} s of source silence allowed`, seconds: contract.maxSourceSilenceSeconds } : null), [contract]);
  const sampled = contract.freshnessHistory.some((h) => h.samples.length > 0);
  const silence = contract.freshnessBinds === 'DATA_AGE' ? contract.maxSourceSilenceSeconds : null;
  return (
    <section aria-labelledby="freshness">
      <h2 id="freshness">Freshness</h2>
      <p data-binds={contract.freshnessBinds}>
        The {contract.freshnessSlaSeconds} s SLA{silence !== null ? ` (with ${silence} s of source silence allowed)` : ''} binds {BINDS[contract.freshnessBinds] ?? contract.freshnessBinds}
      </p>
      <table class="freshness-now">
        <caption>Now{contract.freshness[0] ? <> (measured <time dateTime={contract.freshness[0].measuredAt}>{contract.freshness[0].measuredAt}</time>)</> : null}</caption>
        <thead>
          <tr>
            <th scope="col">Projection</th>
            <th scope="col">Status</th>
            <th scope="col">As of (event time)</th>
            <th scope="col">Last applied</th>
            <th scope="col">Lag</th>
            <th scope="col">Data age</th>
            <th scope="col">Sources: silent for</th>
          </tr>
        </thead>
        <tbody>
          {contract.freshness.map((f) => (
            <tr key={f.projection} data-projection={f.projection} data-binds={f.binds}>
              <th scope="row">{f.projection}</th>
              <td>
                <Badge tone={f.status}>{f.status}</Badge>
                {f.staleBecause.length > 0 ? (
                  <small class="block" data-stale-because={f.staleBecause.join(' ')}>
                    past: {f.staleBecause.map((b) => (b === 'DATA_AGE' ? 'data age' : 'processing lag')).join(', ')}
                  </small>
                ) : null}
                {f.unavailable ? <small class="block">{f.unavailable}</small> : null}
              </td>
              <td>{f.asOfEventTime ?? '—'}</td>
              <td>{f.lastAppliedAt ?? '—'}</td>
              <td data-lag-ms={f.lagMs}>
                {f.lagEvents} events · {formatDuration(f.lagMs)} <small class="block">SLA {f.slaSeconds} s</small>
              </td>
              <td data-data-age-ms={f.dataAgeMs ?? ''}>
                {f.dataAgeMs === null ? '—' : formatDuration(f.dataAgeMs)}
                <small class="block">{f.binds === 'DATA_AGE' && f.maxSourceSilenceSeconds !== null ? `bound: ${f.maxSourceSilenceSeconds} s` : 'not bound'}</small>
              </td>
              <td>
                {f.sources.length === 0 ? (
                  '—'
                ) : (
                  <ul class="sources">
                    {f.sources.map((s) => (
                      <li key={s.topic} data-topic={s.topic} data-newest-event-time={s.newestEventTime ?? ''} data-silent-for-ms={s.silentForMs ?? ''}>
                        <code>{s.topic}</code>: {s.silentForMs === null ? 'no fact yet' : formatDuration(s.silentForMs)}
                        {silence !== null && s.silentForMs !== null && s.silentForMs > silence * 1000 ? (
                          <>
                            {' '}
                            <Badge tone="stale">silent</Badge>
                          </>
                        ) : null}
                        {s.newestEventTime ? <small class="block">newest fact {s.newestEventTime}</small> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Over the last day</h3>
      {sampled ? (
        <>
          <FreshnessChart measure="lag" title="Processing lag" series={lag} threshold={lagBound} now={now} />
          <FreshnessChart measure="data-age" title="Data age" series={age} threshold={ageBound} now={now} />
        </>
      ) : (
        <p class="muted" data-history="none">
          No freshness sample was recorded in the last day: this gateway keeps no history (it samples each projection once a minute when started with a freshness history), or none was taken yet.
        </p>
      )}
    </section>
  );
}
