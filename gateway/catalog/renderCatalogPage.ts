import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';
import type { Freshness, FreshnessReader } from '../metadata/index.js';
import { contractPath } from './createCatalogSchema.js';
import type { CatalogFlowTable } from './createContextFlowReader.js';

const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function freshnessBadge(f: Freshness): string {
  return `<span class="badge ${f.status.toLowerCase()}">${f.status}</span> ${escape(f.projection)}: as of ${escape(f.asOfEventTime ?? '—')}, lag ${f.lagEvents} events / ${Math.round(f.lagMs / 1000)} s, SLA ${f.slaSeconds} s`;
}

function fieldRow(field: ContractField): string {
  const lineage = field.lineage
    .map((l) => `<div><code>${escape(l.subgraph)}:${escape(l.subgraphField)}</code>${l.subgraphStatus === 'deprecated' ? ' <em>(deprecated subgraph)</em>' : ''} → <code>${escape(l.projection)}</code> ${l.columns.map((c) => `<code>${escape(c)}</code>`).join(' ')} ← ${l.events.map((e) => escape(e)).join(', ')} ← ${l.topics.map((t) => `<code>${escape(t.topic)}</code> (${escape(t.sourceSystems.join(', '))})`).join('; ')}</div>`)
    .join('');
  const deprecation = field.deprecation
    ? `<span class="badge stale">deprecated</span> sunset ${escape(field.deprecation.sunset)}${field.deprecation.replacement ? `, use <code>${escape(field.deprecation.replacement)}</code>` : ''}<br><small>${escape(field.deprecation.reason)}</small>`
    : '';
  return `<tr><td><code>${escape(field.coordinate)}</code>${field.derived ? ' <em>derived</em>' : ''}<br><small>${escape(field.description ?? '')}</small></td><td><code>${escape(field.type)}</code></td><td>${escape(field.classification)}${field.redactions.map((r) => `<br><small>${escape(r.audience)}: ${escape(r.strategy)}${r.mask ? ` (${escape(r.mask)})` : ''}</small>`).join('')}</td><td>${deprecation}</td><td>${lineage}</td></tr>`;
}

function flowTable(table: CatalogFlowTable): string {
  const head = `<tr>${table.labels.map((l) => `<th>${escape(l)}</th>`).join('')}<th>count</th></tr>`;
  const body = table.rows === null
    ? `<tr><td colspan="${table.labels.length + 1}">unavailable right now (see /metrics and the gateway log)</td></tr>`
    : table.rows.length === 0
      ? `<tr><td colspan="${table.labels.length + 1}">none</td></tr>`
      : table.rows.map((r) => `<tr>${table.labels.map((l) => `<td>${escape(r.labels[l] ?? '')}</td>`).join('')}<td>${r.value}</td></tr>`).join('');
  return `<h3>${escape(table.title)} <small>(${escape(table.context)})</small></h3><table class="flow"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/**
 * The catalog as one page for data stewards (`/catalog/static`: without JavaScript, to print or
 * save; the web app at `/catalog` is the interactive one): every contract version with its
 * promises, freshness now, and every field with classification, deprecation and lineage down to
 * topic and source. Server-rendered and self-contained: no script, nothing fetched from elsewhere.
 */
export async function renderCatalogPage(contracts: readonly CompiledContract[], subgraphs: readonly SubgraphVersion[], freshness: FreshnessReader, options: { signedInAs?: string; flows?: readonly CatalogFlowTable[] } = {}): Promise<string> {
  const sections = await Promise.all(
    contracts.map(async (c) => {
      const now = await Promise.all(c.projections.map((p) => freshness.read(p, c.meta)));
      return `<section id="${escape(c.meta.name)}-v${c.meta.version}">
  <h2>${escape(c.meta.name)} v${c.meta.version} <span class="badge ${c.meta.status === 'ACTIVE' ? 'fresh' : 'stale'}">${escape(c.meta.status)}</span></h2>
  <p>${escape(c.meta.description)}</p>
  <dl>
    <dt>Endpoint</dt><dd><code>${escape(contractPath(c))}</code> · <a href="${escape(contractPath(c))}/schema.graphql">SDL</a></dd>
    <dt>Owner</dt><dd>${escape(c.meta.owner)}</dd>
    <dt>Audience · tier</dt><dd>${escape(c.meta.audience)} · ${escape(c.meta.tier)}</dd>
    <dt>Consumers</dt><dd>${escape(c.meta.consumers.join(', '))}</dd>
    <dt>Change policy</dt><dd>${escape(c.meta.changePolicy)}</dd>
    <dt>Delivery guarantee</dt><dd>${escape(c.meta.deliveryGuarantee)}</dd>
    <dt>Latency</dt><dd>${escape(c.meta.latencyProfile)}</dd>
    <dt>Freshness now</dt><dd>${now.map(freshnessBadge).join('<br>')}</dd>
    ${c.meta.sunset ? `<dt>Sunset</dt><dd>${escape(c.meta.sunset)}</dd>` : ''}
  </dl>
  <table><thead><tr><th>field</th><th>type</th><th>classification</th><th>deprecation</th><th>lineage: subgraph → projection columns ← events ← topics (sources)</th></tr></thead>
  <tbody>${[...c.fields.values()].map(fieldRow).join('\n')}</tbody></table>
</section>`;
    }),
  );
  const subgraphRows = subgraphs.map((s) => `<li><code>/subgraphs/${escape(s.id)}</code> ${s.status.kind === 'deprecated' ? `<span class="badge stale">deprecated</span> sunset ${escape(s.status.sunset)}, use ${escape(s.status.replacement)}` : '<span class="badge fresh">active</span>'}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Data Product Gateway — catalog</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2330; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0 2.5rem; }
  th, td { border-bottom: 1px solid #dde1e8; padding: .45rem .5rem; text-align: left; vertical-align: top; }
  th { background: #f3f5f8; } code { font-size: 12px; background: #f3f5f8; padding: 0 .2em; border-radius: 3px; }
  dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; } dt { font-weight: 600; }
  .badge { font-size: 11px; padding: .1em .5em; border-radius: 1em; color: #fff; background: #6b7280; }
  .badge.fresh { background: #15803d; } .badge.stale { background: #b45309; } .badge.unknown { background: #6b7280; }
</style></head>
<body>
<h1>Data Product Gateway — catalog</h1>
${options.signedInAs ? `<form method="post" action="/catalog/sign-out">Signed in as <strong>${escape(options.signedInAs)}</strong> <button type="submit">Sign out</button></form>` : ''}
<p>Contracts, their promises, and every field's meaning, classification, deprecation and lineage. The same data as GraphQL: <code>POST /catalog</code>.</p>
<nav><ul>${contracts.map((c) => `<li><a href="#${escape(c.meta.name)}-v${c.meta.version}">${escape(c.meta.name)} v${c.meta.version}</a></li>`).join('')}</ul></nav>
${sections.join('\n')}
${options.flows?.length ? `<h2 id="flow">Flow now</h2>${options.flows.map(flowTable).join('\n')}` : ''}
${subgraphs.length ? `<h2>Subgraphs</h2><ul>${subgraphRows}</ul>` : ''}
</body></html>`;
}
