import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contexts as registeredContexts } from '../../subgraphs/index.js';
import type { TestPrincipalName } from '../../test/support/gatewayAccess.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { CHROMIUM_EXECUTABLE } from '../../test/support/provisioning/index.js';
import type { TestGateway } from '../../test/support/startTestGateway.js';
import { startTestGateway } from '../../test/support/startTestGateway.js';
import { createFreshnessHistory, createFreshnessReader, startFreshnessSampler } from '../metadata/index.js';
import { CATALOG_CONTENT_SECURITY_POLICY } from './createCatalogApp.js';

// The catalog web app in a real browser: Debian's chromium driven by playwright-core (no browser
// download; test/support/globalSetup.ts installs the package). Every number the page shows is
// compared with what the catalog API answers the same principal.

const MINUTE = 60_000;
const HOUR = 3_600_000;
const JOURNEYS = { count: 60, seed: 4242, rates: { 'never-captured': 0.2, 'authorization-expired': 0.2, 'dispatch-after-cancel': 0.3 }, faults: { legacyShare: 0.3, malformedRate: 0.04 }, orderIntervalMs: HOUR, stepIntervalMs: 2 * HOUR, startTime: Date.parse('2026-10-01T00:00:00.000Z') };
const V1 = '/contracts/customer_order_timeline/v1';

interface GraphData {
  nodes: Array<{ id: string; kind: string }>;
  edges: Array<{ from: string; to: string }>;
}
interface SearchData {
  total: number;
  hits: Array<{ contract: { name: string; version: number }; field: { coordinate: string } | null }>;
  facets: Array<{ facet: string; values: Array<{ value: string; count: number }> }>;
}

let t: TestGateway;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Content-Security-Policy violations and uncaught errors, per page: none may happen. */
const problems: string[] = [];

/** The catalog API as `who` sees it. */
async function api<T>(who: TestPrincipalName, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await postGraphQL(`${t.url}/catalog`, query, { variables, headers: t.bearer(who) });
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

async function search(who: TestPrincipalName, text: string, filters: Array<{ facet: string; values: string[] }> = []): Promise<SearchData> {
  const data = await api<{ search: SearchData }>(who, 'query($t: String!, $f: [SearchFilter!]!) { search(text: $t, filters: $f, first: 100) { total hits { contract { name version } field { coordinate } } facets { facet values { value count } } } }', { t: text, f: filters });
  return data.search;
}
const hitKey = (h: SearchData['hits'][number]) => `${h.contract.name}/v${h.contract.version}${h.field ? `:${h.field.coordinate}` : ''}`;

/** A browser session signed in through the catalog's own form, as a steward does it. */
async function signedIn(who: TestPrincipalName): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`${who}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
  await page.goto(`${t.url}/catalog`);
  await page.getByLabel('API key').fill(t.keys[who]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-principal]').waitFor();
  return page;
}

/** Shows a page of the app and waits until its main content has loaded. */
async function open(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  await page.locator(ready).first().waitFor();
}

/** The rendered search results once the answer for `text` shows `total` hits (the app marks an answer done only for the address it was asked for). */
async function renderedHits(page: Page, total: number, text = ''): Promise<string[]> {
  await page.locator(`section.results[data-state="done"][data-text=${JSON.stringify(text)}] #results-heading[data-total="${total}"]`).waitFor();
  return page.locator('[data-hit]').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-contract')}${item.getAttribute('data-coordinate') ? `:${item.getAttribute('data-coordinate')}` : ''}`));
}

async function renderedGraph(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  const figure = page.locator('figure.lineage');
  await figure.waitFor();
  return {
    nodes: await figure.locator('svg a.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')!)),
    edges: await figure.locator('svg path.edge').evaluateAll((edges) => edges.map((e) => `${e.getAttribute('data-from')} > ${e.getAttribute('data-to')}`)),
  };
}
const graphIds = (graph: GraphData) => ({ nodes: graph.nodes.map((n) => n.id).sort(), edges: graph.edges.map((e) => `${e.from} > ${e.to}`).sort() });

describe('catalog web app in Chromium', () => {
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestGateway({ prefix: 'catalog_app', services: 'embedded', journeys: JOURNEYS, gateway: { freshnessHistory: { intervalMs: HOUR } } }), chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true })]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  it('serves one shell with its own script and stylesheet, under a strict Content-Security-Policy', async () => {
    const shell = await fetch(`${t.url}/catalog`, { headers: { ...t.bearer('operator'), accept: 'text/html' } });
    expect(shell.headers.get('content-security-policy')).toBe(CATALOG_CONTENT_SECURITY_POLICY);
    const html = await shell.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/catalog\/assets\/app\.js\?v=[^"]+")/);
    expect(html).not.toMatch(/<style|\sstyle=|https?:\/\//);
    for (const asset of ['app.js', 'app.css']) {
      const response = await fetch(`${t.url}/catalog/assets/${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('etag')).toBeTruthy();
      expect((await fetch(`${t.url}/catalog/assets/${asset}`, { headers: { 'if-none-match': response.headers.get('etag')! } })).status).toBe(304);
    }
    // Without JavaScript: the server-rendered catalog, linked from the shell.
    expect(html).toContain('href="/catalog/static"');
  });

  it('searches contracts, fields, descriptions, owners and topics as the API does', async () => {
    const page = await signedIn('operator');
    const box = page.getByLabel('Search contracts, fields, descriptions, owners and topics');
    // One word for each kind of thing searched: a field name, a word of a description, an owner, a topic, a source system.
    for (const [text, matched] of [
      ['customerEmail', 'coordinate'],
      ['fractional', 'description'],
      ['finance-controlling', 'owner'],
      ['legacy.oms.cdc', 'topic'],
      ['wms-leeds', 'source system'],
    ] as const) {
      const expected = await search('operator', text);
      expect(expected.total, text).toBeGreaterThan(0);
      await box.fill(text);
      expect(await renderedHits(page, expected.total, text), text).toEqual(expected.hits.map(hitKey));
      await expect.poll(() => page.locator('[data-hit] small').first().textContent()).toContain(matched);
    }
    await box.fill('no-such-thing-anywhere');
    await page.getByRole('heading', { name: 'Nothing found' }).waitFor();
    // The words live in the address: Back returns to the last search.
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/?q=no-such-thing-anywhere');
  });

  it('narrows by each facet to what the API finds, counts included, by mouse and by keyboard', async () => {
    const page = await signedIn('operator');
    const all = await search('operator', '');
    await open(page, '#/', 'section.results[data-state="done"]');
    const facets = ['OWNER', 'AUDIENCE', 'TIER', 'STATUS', 'CLASSIFICATION', 'PII', 'DEPRECATED'];
    expect(all.facets.map((f) => f.facet).sort()).toEqual([...facets].sort());
    for (const facet of facets) {
      const values = all.facets.find((f) => f.facet === facet)!.values;
      // The rarest value: the narrowest check (STATUS has one value here, ACTIVE, which keeps everything).
      const value = [...values].sort((a, b) => a.count - b.count)[0]!;
      const expected = await search('operator', '', [{ facet, values: [value.value] }]);
      expect(expected.total, `${facet}=${value.value}`).toBe(value.count);
      const group = page.locator(`fieldset[data-facet="${facet}"]`);
      await expect.poll(() => group.locator(`label:has(input[value="${value.value}"]) .count`).textContent()).toBe(String(value.count));
      const box = group.getByRole('checkbox', { name: new RegExp(`^${value.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
      if (facet === 'PII') {
        await box.focus();
        await page.keyboard.press('Space');
      } else {
        await box.click();
      }
      // Checked again from the answer (`selected`): the results below are the filtered ones.
      await group.locator(`input[value="${value.value}"]:checked`).waitFor();
      expect(await renderedHits(page, expected.total), `${facet}=${value.value}`).toEqual(expected.hits.map(hitKey));
      await box.click();
      await group.locator(`input[value="${value.value}"]:not(:checked)`).waitFor();
      await renderedHits(page, all.total);
    }
    // Facets combine: every facet (AND), any value within one (OR).
    const combined = await search('operator', '', [{ facet: 'PII', values: ['yes'] }, { facet: 'AUDIENCE', values: ['INTERNAL', 'PARTNER'] }, { facet: 'OWNER', values: ['orders-domain-team'] }]);
    await open(page, '#/?pii=yes&audience=INTERNAL&audience=PARTNER&owner=orders-domain-team', 'section.results');
    expect(await renderedHits(page, combined.total)).toEqual(combined.hits.map(hitKey));
  });

  it("draws a field's lineage with exactly the API's nodes and edges, and back from a column to every field it feeds", async () => {
    const page = await signedIn('operator');
    const field = await api<{ contract: { field: { lineageGraph: GraphData } } }>('operator', '{ contract(name: "customer_order_timeline", version: 2) { field(coordinate: "CustomerOrderTimeline.orderTotal") { lineageGraph { nodes { id kind } edges { from to } } } } }');
    const expected = field.contract.field.lineageGraph;
    expect(new Set(expected.nodes.map((n) => n.kind))).toEqual(new Set(['SOURCE_SYSTEM', 'TOPIC', 'EVENT', 'PROJECTION_COLUMN', 'SUBGRAPH_FIELD', 'CONTRACT_FIELD']));
    // From the contract page to the field, as a steward would go.
    await open(page, '#/contracts/customer_order_timeline/v2', 'table.fields');
    await page.getByRole('link', { name: 'CustomerOrderTimeline.orderTotal', exact: true }).click();
    const drawn = await renderedGraph(page);
    expect(drawn.nodes).toHaveLength(expected.nodes.length);
    expect(drawn.edges).toHaveLength(expected.edges.length);
    expect({ nodes: drawn.nodes.sort(), edges: drawn.edges.sort() }).toEqual(graphIds(expected));
    expect(await page.locator('figure.lineage').getAttribute('data-nodes')).toBe(String(expected.nodes.length));

    // And back: open a column (by keyboard) and see what changing it touches.
    const column = 'column:order_timeline/orders.order_total_amount';
    const impact = (await api<{ lineageImpact: GraphData }>('operator', 'query($n: ID!) { lineageImpact(node: $n) { nodes { id kind } edges { from to } } }', { n: column })).lineageImpact;
    await page.locator(`svg a.node[data-node-id="${column}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator(`article.impact[data-node-id="${column}"]`).waitFor();
    const back = await renderedGraph(page);
    expect({ nodes: back.nodes.sort(), edges: back.edges.sort() }).toEqual(graphIds(impact));
    const fed = impact.nodes.filter((n) => n.kind === 'CONTRACT_FIELD').length;
    expect(fed).toBeGreaterThan(3);
    await page.getByRole('heading', { name: `Contract fields it feeds (${fed})` }).waitFor();

    // A field of a shared type: under each parent, only the columns that parent names.
    type Via = { parent: string; lineage: Array<{ projection: string; columns: string[]; via: string[] }> };
    const amount = await api<{ contract: { field: { lineageVia: Via[] } } }>('operator', '{ contract(name: "customer_order_timeline", version: 2) { field(coordinate: "Money.amount") { lineageVia { parent lineage { projection columns via } } } } }');
    const perParent = amount.contract.field.lineageVia.map((v) => `${v.parent}: ${v.lineage.flatMap((l) => l.columns.map((c) => `${l.projection}/${c}`)).join(' ')}`);
    expect(perParent.length).toBeGreaterThan(1);
    expect(perParent.find((p) => p.startsWith('CustomerOrderTimeline.orderTotal:'))).toBe('CustomerOrderTimeline.orderTotal: order_timeline/orders.order_total_amount');
    expect(new Set(perParent.map((p) => p.split(': ')[1])).size, 'each parent names its own columns').toBe(perParent.length);
    await open(page, '#/contracts/customer_order_timeline/v2/fields/Money.amount', 'table.lineage-via');
    const drawnVia = await page.locator('table.lineage-via tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-parent')}: ${[...tr.querySelectorAll('li[data-column]')].map((li) => li.getAttribute('data-column')).join(' ')}`));
    expect(drawnVia).toEqual(perParent);
    await page.locator('table.lineage-via').getByRole('link', { name: 'CustomerOrderTimeline.orderTotal', exact: true }).click();
    await page.locator('article.field[data-coordinate="CustomerOrderTimeline.orderTotal"]').waitFor();
  });

  it('lists usage per field and client as the API counts it, on the contract page and among deprecations', async () => {
    // Two declared consumers by name, one made-up name (counted as "unidentified"), and the principal itself (no header).
    const uses: Array<[client: string | null, field: string, times: number]> = [
      ['customer-service-portal', 'orderStatus', 3],
      ['order-status-emails', 'orderTotalAsFloat', 2],
      ['adhoc-script', 'orderStatus', 1],
      [null, 'orderTotalAsFloat', 1],
    ];
    for (const [client, fieldName, times] of uses) {
      for (let i = 0; i < times; i++) {
        const { body } = await postGraphQL(`${t.url}${V1}`, `{ recentCustomerOrders(first: 1) { orderId ${fieldName} } }`, { headers: { ...t.bearer('internal'), ...(client ? { 'apollographql-client-name': client } : {}) } });
        expect(body.errors).toBeUndefined();
      }
    }
    type Usage = { client: string; kind: string; today: number; last7Days: number; last30Days: number; lastSeenAt: string | null };
    const windows = '{ client kind today last7Days last30Days lastSeenAt }';
    const { contract } = await api<{ contract: { usage: Usage[]; fields: Array<{ coordinate: string; usage: Usage[] }> } }>('operator', `{ contract(name: "customer_order_timeline", version: 1) { usage ${windows} fields { coordinate usage ${windows} } } }`);
    const row = (u: Usage) => [u.client, u.kind, u.today, u.last7Days, u.last30Days, u.lastSeenAt ?? 'never'].join(' ');
    const status = contract.fields.find((f) => f.coordinate === 'CustomerOrderTimeline.orderStatus')!.usage;
    expect(status.map((u) => [u.client, u.kind, u.today, u.last7Days, u.last30Days])).toEqual([
      ['all clients', 'ALL', 4, 4, 4],
      ['customer-service-portal', 'CONSUMER', 3, 3, 3],
      ['unidentified', 'UNIDENTIFIED', 1, 1, 1],
    ]);
    expect(contract.usage.map((u) => `${u.client} ${u.kind} ${u.last30Days}`)).toEqual(['all clients ALL 7', 'customer-service-portal CONSUMER 3', 'order-status-emails CONSUMER 2', 'test-internal PRINCIPAL 1', 'unidentified UNIDENTIFIED 1']);

    const page = await signedIn('operator');
    await open(page, '#/contracts/customer_order_timeline/v1', 'table.usage[data-usage="fields"]');
    const rendered = (table: string) =>
      page.locator(`table.usage[data-usage="${table}"] tbody tr`).evaluateAll((trs) =>
        trs.map((tr) => {
          const cell = (window: string) => tr.querySelector(`[data-window="${window}"]`)!;
          const seen = cell('last-seen').querySelector('time')?.getAttribute('datetime') ?? 'never';
          return [tr.getAttribute('data-coordinate'), tr.getAttribute('data-client'), tr.getAttribute('data-kind'), cell('today').textContent, cell('7d').textContent, cell('30d').textContent, seen].filter((x) => x !== null).join(' ');
        }),
      );
    // Every field with a use, its rows in the API's order: all clients first, then busiest first.
    expect(await rendered('fields')).toEqual(contract.fields.flatMap((f) => f.usage.map((u) => `${f.coordinate} ${row(u)}`)));
    expect((await rendered('fields')).filter((r) => r.startsWith('CustomerOrderTimeline.orderStatus '))).toEqual(status.map((u) => `CustomerOrderTimeline.orderStatus ${row(u)}`));
    expect(await rendered('requests')).toEqual(contract.usage.map(row));
    expect(await page.locator('[data-pending]').count()).toBe(0);

    // Among deprecations: the clients with a use in the 30 days, never the total.
    type Entry = { kind: string; contract: { name: string; version: number; usage: Usage[] } | null; field: { coordinate: string; usage: Usage[] } | null };
    const { deprecations } = await api<{ deprecations: Entry[] }>('operator', `{ deprecations { kind contract { name version usage ${windows} } field { coordinate usage ${windows} } } }`);
    await page.getByRole('link', { name: 'Deprecations' }).click();
    await page.locator('table.deprecations tbody tr').first().waitFor();
    const counted = deprecations.filter((e) => e.contract);
    expect(counted.length).toBeGreaterThan(1);
    for (const entry of counted) {
      const usage = (entry.kind === 'FIELD' ? entry.field!.usage : entry.contract!.usage).filter((u) => u.kind !== 'ALL' && u.last30Days > 0);
      const tr = page.locator(`table.deprecations tr[data-kind="${entry.kind}"][data-contract="${entry.contract!.name}/v${entry.contract!.version}"][data-coordinate="${entry.field?.coordinate ?? ''}"]`);
      const clients = await tr.locator('li[data-client]').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-client')} ${li.getAttribute('data-kind')} ${li.getAttribute('data-count')}`));
      expect(clients, `${entry.kind} ${entry.field?.coordinate ?? entry.contract!.name}`).toEqual(usage.map((u) => `${u.client} ${u.kind} ${u.last30Days}`));
    }
    const statusRow = page.locator('table.deprecations tr[data-coordinate="CustomerOrderTimeline.orderStatus"]');
    expect(await statusRow.locator('li[data-client]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-client')))).toEqual(['customer-service-portal', 'unidentified']);
    expect(await statusRow.textContent()).toContain('2027-06-30');
    // The deprecated subgraph version is listed for internal principals too.
    expect(await page.locator('table.deprecations tr[data-kind="SUBGRAPH_VERSION"]').count()).toBeGreaterThan(0);
  });

  it("shows freshness now and the last day's samples as the API has them: data age against the allowed silence, STALE minutes shaded", async () => {
    // A second gateway sampling into the same history (as a replica does), its clock set back
    // minute by minute: 22 earlier minutes with a gap of 8 nobody sampled. This gateway took its
    // own sample at start and takes the next in an hour, so the history holds still meanwhile.
    const projectionSchemas = new Map(registeredContexts.flatMap((c) => c.ingestion.projections.map((p) => [p.name, t.schemas[c.name]!] as const)));
    const thisMinute = Math.floor(Date.now() / MINUTE) * MINUTE;
    const minutes = [...Array.from({ length: 10 }, (_, i) => thisMinute - (30 - i) * MINUTE), ...Array.from({ length: 12 }, (_, i) => thisMinute - (12 - i) * MINUTE)];
    let clock = minutes[0]! + 5_000;
    const replica = startFreshnessSampler(
      { reader: createFreshnessReader({ db: t.db, log: t.log }, projectionSchemas, { now: () => clock }), history: createFreshnessHistory(t.db, { schema: `${t.schema}_access` }) },
      [...projectionSchemas.keys()],
      { intervalMs: HOUR },
    );
    for (const minute of minutes) {
      clock = minute + 5_000;
      await replica.sampleNow();
    }
    await replica.stop();

    type Sample = { at: string; lagMs: number; dataAgeMs: number | null; status: string; staleBecause: string[]; unavailable: string | null };
    const { contract } = await api<{
      contract: {
        freshnessBinds: string;
        maxSourceSilenceSeconds: number;
        freshness: Array<{ projection: string; status: string; binds: string; staleBecause: string[]; asOfEventTime: string; dataAgeMs: number; sources: Array<{ topic: string; newestEventTime: string; silentForMs: number }> }>;
        freshnessHistory: Array<{ projection: string; samples: Sample[] }>;
      };
    }>(
      'operator',
      '{ contract(name: "order_journey", version: 1) { freshnessBinds maxSourceSilenceSeconds freshness { projection status binds staleBecause asOfEventTime dataAgeMs sources { topic newestEventTime silentForMs } } freshnessHistory { projection samples { at lagMs dataAgeMs status staleBecause unavailable } } } }',
    );
    const readAt = Date.now();
    expect(contract).toMatchObject({ freshnessBinds: 'DATA_AGE', maxSourceSilenceSeconds: 300 });
    const page = await signedIn('operator');
    await open(page, '#/contracts/order_journey/v1', '.freshness-chart canvas');

    // Now: status, what it binds, which bound is past; the data's age and each source's silence (moving with the clock: within the seconds between the two reads).
    const elapsed = Date.now() - readAt + 1_000;
    const now = await page.locator('table.freshness-now tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        row: `${tr.getAttribute('data-projection')} ${tr.querySelector('.badge')!.textContent} ${tr.getAttribute('data-binds')} ${tr.querySelector('[data-stale-because]')?.getAttribute('data-stale-because') ?? ''}`,
        dataAgeMs: Number(tr.querySelector('[data-data-age-ms]')!.getAttribute('data-data-age-ms')),
        sources: [...tr.querySelectorAll('li[data-topic]')].map((li) => ({ topic: li.getAttribute('data-topic'), newest: li.getAttribute('data-newest-event-time'), silentForMs: Number(li.getAttribute('data-silent-for-ms')) })),
      })),
    );
    expect(now.map((r) => r.row)).toEqual(contract.freshness.map((f) => `${f.projection} ${f.status} ${f.binds} ${f.staleBecause.join(' ')}`));
    expect(contract.freshness.every((f) => f.status === 'STALE' && f.staleBecause.includes('DATA_AGE'))).toBe(true);
    contract.freshness.forEach((f, i) => {
      expect(now[i]!.dataAgeMs - f.dataAgeMs).toBeGreaterThanOrEqual(0);
      expect(now[i]!.dataAgeMs - f.dataAgeMs).toBeLessThan(elapsed);
      expect(now[i]!.sources.map((s) => `${s.topic} ${s.newest}`)).toEqual(f.sources.map((s) => `${s.topic} ${s.newestEventTime}`));
      f.sources.forEach((s, j) => expect(now[i]!.sources[j]!.silentForMs - s.silentForMs).toBeLessThan(elapsed));
    });
    await page.locator('table.freshness-now .badge-stale', { hasText: 'silent' }).first().waitFor();

    // The day: one point per sample of each projection, STALE minutes counted per bound.
    const drawn = (measure: string) =>
      page.locator(`.freshness-chart[data-measure="${measure}"] li[data-projection]`).evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-projection')} ${li.getAttribute('data-points')} ${li.getAttribute('data-stale')} ${li.getAttribute('data-unknown')}`));
    const expected = (value: (s: Sample) => number | null, bound: string) =>
      contract.freshnessHistory.map((h) => `${h.projection} ${h.samples.filter((s) => s.unavailable === null && value(s) !== null).length} ${h.samples.filter((s) => s.unavailable === null && s.staleBecause.includes(bound)).length} ${h.samples.filter((s) => s.unavailable !== null).length}`);
    for (const h of contract.freshnessHistory) {
      expect(h.samples.length, h.projection).toBeGreaterThanOrEqual(minutes.length);
      expect(h.samples.filter((s) => s.status === 'STALE').length, h.projection).toBeGreaterThanOrEqual(minutes.length);
    }
    expect(await drawn('lag')).toEqual(expected((s) => s.lagMs, 'PROCESSING_LAG'));
    expect(await drawn('data-age')).toEqual(expected((s) => s.dataAgeMs, 'DATA_AGE'));
    expect(await page.locator('.freshness-chart[data-measure="data-age"] figcaption').textContent()).toContain('300 s');
    expect(await page.locator('[data-pending]').count()).toBe(0);

    // The charts follow the window: narrower, then back, each chart fits its box again.
    const fits = () =>
      page.locator('.freshness-chart .chart-canvas').evaluateAll((boxes) => boxes.map((box) => Math.abs(box.querySelector('.uplot')!.getBoundingClientRect().width - Math.max(320, box.clientWidth)) <= 1));
    const widths = () => page.locator('.freshness-chart .uplot').evaluateAll((plots) => plots.map((p) => Math.round(p.getBoundingClientRect().width)));
    const wide = await widths();
    await page.setViewportSize({ width: 600, height: 1000 });
    await expect.poll(fits).toEqual(wide.map(() => true));
    const narrow = await widths();
    narrow.forEach((w, i) => expect(w, `chart ${i} narrower`).toBeLessThan(wide[i]!));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await expect.poll(widths).toEqual(wide);
  });

  it('shows customer_order_timeline v2 against v1: the changes the API finds, breaking first; freshness now', async () => {
    const { contract } = await api<{ contract: { freshness: Array<{ projection: string; status: string; binds: string }>; diffFromPrevious: { previousVersion: number; changes: Array<{ criticality: string; path: string | null; type: string }> } } }>(
      'operator',
      '{ contract(name: "customer_order_timeline", version: 2) { freshness { projection status binds } diffFromPrevious { previousVersion changes { criticality path type } } } }',
    );
    const page = await signedIn('operator');
    await open(page, '#/contracts/customer_order_timeline/v2', 'table.diff');
    expect(await page.getByRole('heading', { name: 'Changes from v1' }).count()).toBe(1);
    const rows = await page.locator('table.diff tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-criticality')} ${tr.getAttribute('data-change-type')} ${tr.getAttribute('data-path')}`));
    expect([...rows].sort()).toEqual(contract.diffFromPrevious.changes.map((c) => `${c.criticality} ${c.type} ${c.path ?? ''}`).sort());
    expect(rows.slice(0, 3)).toEqual(['BREAKING FIELD_REMOVED CustomerOrderTimeline.orderStatus', 'BREAKING FIELD_REMOVED CustomerOrderTimeline.orderTotalAsFloat', 'BREAKING FIELD_REMOVED CustomerOrderTimeline.minutesToCommitment']);
    expect(await page.locator('table.diff tr[data-path=".@contract.changePolicy"] .before-after').textContent()).toMatch(/within v1.*→.*within v2/s);

    const freshness = await page.locator('table.freshness-now tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-projection')} ${tr.querySelector('.badge')!.textContent} ${tr.getAttribute('data-binds')}`));
    expect(freshness).toEqual(contract.freshness.map((f) => `${f.projection} ${f.status} ${f.binds}`));
    await page.locator('.freshness-chart[data-measure="lag"] canvas').waitFor();
    // A first version has nothing to compare with.
    await open(page, '#/contracts/customer_order_timeline/v1', 'table.fields');
    await page.getByText('This is the first version you may see').waitFor();
  });

  it('shows quarantine and reconciliation exception counts per context as the API and /admin/quarantine count them', async () => {
    const { contexts: flows } = await api<{ contexts: Array<{ context: string; quarantine: Array<{ state: string; entries: number }>; summaries: Array<{ title: string; rows: Array<{ labels: string[]; value: number }> }> }> }>(
      'operator',
      '{ contexts { context quarantine { state entries } summaries { title rows { labels value } } } }',
    );
    const listed = (await (await fetch(`${t.url}/admin/quarantine?state=open&limit=1000`, { headers: t.bearer('operator') })).json()) as Array<{ context: string }>;
    expect(listed.length).toBeGreaterThan(0);
    const exceptions = flows.flatMap((f) => f.summaries.flatMap((s) => s.rows ?? [])).reduce((sum, r) => sum + r.value, 0);
    expect(exceptions).toBeGreaterThan(0);

    const page = await signedIn('operator');
    await page.getByRole('link', { name: 'Flow now' }).click();
    await page.locator('.context-flow').first().waitFor();
    for (const flow of flows) {
      const section = page.locator(`section.context-flow[data-context="${flow.context}"]`);
      const open = flow.quarantine.filter((q) => q.state === 'open').reduce((sum, q) => sum + q.entries, 0);
      expect(open, flow.context).toBe(listed.filter((entry) => entry.context === flow.context).length);
      expect(await section.locator('.quarantine-totals').getAttribute('data-open'), flow.context).toBe(String(open));
      for (const summary of flow.summaries) {
        const rendered = await section.locator(`.flow-summary[data-title="${summary.title}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join(' ')));
        expect(rendered, summary.title).toEqual(summary.rows.map((r) => [...r.labels, String(r.value)].join(' ')));
      }
    }
  });

  it('shows a partner only its contract, redacted as its schema is, with no lineage of a redacted field', async () => {
    const page = await signedIn('partner');
    const answers: string[] = [];
    page.on('response', async (response) => {
      if (response.url().endsWith('/catalog') && response.request().method() === 'POST') answers.push(await response.text());
    });
    const mine = await search('partner', '');
    expect(new Set(mine.hits.map((h) => h.contract.name))).toEqual(new Set(['partner_order_status']));
    await open(page, '#/', 'section.results');
    expect(await renderedHits(page, mine.total)).toEqual(mine.hits.map(hitKey));
    expect(await page.locator('fieldset[data-facet="OWNER"] input').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Flow now' }).count()).toBe(0);

    // Another contract does not exist for it, whichever way it is asked for.
    await page.getByLabel('Search contracts, fields, descriptions, owners and topics').fill('customer_order_timeline');
    await page.getByRole('heading', { name: 'Nothing found' }).waitFor();
    await open(page, '#/contracts/customer_order_timeline/v2', 'h1');
    await page.getByRole('heading', { name: 'No contract customer_order_timeline v2' }).waitFor();
    await open(page, '#/contracts/customer_order_timeline/v2/fields/CustomerOrderTimeline.orderId', 'h1');
    await page.getByRole('heading', { name: 'No field CustomerOrderTimeline.orderId' }).waitFor();

    // Its own contract, as its schema is: the OMIT field absent, no usage of other clients.
    await open(page, '#/contracts/partner_order_status/v1', 'table.fields');
    const fields = await page.locator('table.fields tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-coordinate')));
    expect(fields).not.toContain('PartnerOrderStatus.shippingCity');
    expect(fields).toContain('PartnerOrderStatus.customerEmailMasked');
    expect(await page.locator('table.usage').count()).toBe(0);

    // A field redacted for it: no graph, no columns; an open one: a graph within its own contract.
    await page.getByRole('link', { name: 'PartnerOrderStatus.customerEmailMasked', exact: true }).click();
    await page.locator('[data-lineage="withheld"]').waitFor();
    expect(await page.locator('figure.lineage').count()).toBe(0);
    await open(page, '#/lineage/column%3Aorder_timeline%2Forders.customer_email', 'h1');
    await page.getByRole('heading', { name: 'Unknown lineage node' }).waitFor();
    await open(page, '#/contracts/partner_order_status/v1/fields/PartnerOrderStatus.orderId', 'figure.lineage');
    const graph = await renderedGraph(page);
    expect(graph.edges.length).toBeGreaterThan(0);
    expect(graph.nodes.filter((id) => id.startsWith('contract:')).every((id) => id.startsWith('contract:partner_order_status/v1:'))).toBe(true);
    expect(graph.nodes).not.toContain('contract:partner_order_status/v1:PartnerOrderStatus.customerEmailMasked');
    await open(page, '#/flows', 'h1');
    await page.getByText('No flow to show to your principal.').waitFor();

    // Nothing it was sent names another contract, an omitted field or the column behind a masked one.
    expect(answers.length).toBeGreaterThan(5);
    for (const answer of answers) expect(answer).not.toMatch(/customer_order_timeline|finance_recognized_sale|shippingCity|customer_email\b|orders\.customer_email/);
  });
});
