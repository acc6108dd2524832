import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../platform/cache/index.js';
import { contexts } from '../../subgraphs/index.js';
import type { CheckFinding, CheckReport } from './CheckReport.js';
import type { UsageSources } from './checkContracts.js';
import { isCheckConfigError } from './CheckConfigError.js';
import { createCounterUsageReader } from './createCounterUsageReader.js';
import { formatCheckReport } from './formatCheckReport.js';
import { publishContracts } from './publishContracts.js';
import { runContractCheck } from './runContractCheck.js';
import { createUsageCounters } from '../usage/index.js';

const subgraphs = contexts.flatMap((c) => c.subgraphs);
const NO_USAGE: UsageSources = { readers: [], unavailable: ['DATABASE_URL is not set.', 'REDIS_URL is not set.'] };
const BEFORE_SUNSET = '2026-12-06';
const AFTER_SUNSET = '2027-04-01';

const contract = (status = 'ACTIVE', sunset = '') => /* GraphQL */ `
  schema @contract(name: "shop", version: 1, owner: "shop-team", audience: INTERNAL, consumers: ["c"], tier: EDGE, description: "d",
    changePolicy: "p", deliveryGuarantee: "g", latencyProfile: "l", freshnessSlaSeconds: 30, status: ${status}${sunset ? `, sunset: "${sunset}"` : ''}) { query: Query }

  type Query {
    order(orderId: ID!): Timeline @from(subgraph: "orders/v2", field: "Query.order") @classification(level: INTERNAL)
  }

  type Timeline {
    orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") @classification(level: INTERNAL)
    customerEmail: String! @from(subgraph: "orders/v2", field: "Order.customerEmail") @classification(level: PII) @redact(audience: PARTNER, strategy: MASK, mask: EMAIL)
    "PLACED, CONFIRMED or CANCELLED as one string."
    orderStatus: String!
      @from(subgraph: "orders/v1", field: "Order.status")
      @deprecated(reason: "Use orderLifecycleState.")
      @sunset(date: "2027-03-31", deprecatedOn: "2026-10-01", replacement: "orderLifecycleState")
      @classification(level: INTERNAL)
    orderLifecycleState: OrderLifecycleState @from(subgraph: "orders/v2", field: "Order.lifecycleState") @classification(level: INTERNAL)
  }

  enum OrderLifecycleState {
    PLACED
    CONFIRMED
    CANCELLED
  }
`;
const PUBLISHED = contract();
const withoutOrderStatus = PUBLISHED.replace(/ {4}"PLACED, CONFIRMED[\s\S]*?@classification\(level: INTERNAL\)\n/, '');

let root: string;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A contracts folder holding `shop/v1.graphql` as given, and its published snapshot as published. */
async function tree(files: { current?: string | null; published?: string | null }) {
  root = await mkdtemp(join(tmpdir(), 'governance-'));
  const contractsDirectory = join(root, 'contracts');
  const publishedDirectory = join(contractsDirectory, 'published');
  await mkdir(join(contractsDirectory, 'shop'), { recursive: true });
  if (files.current !== null) await writeFile(join(contractsDirectory, 'shop', 'v1.graphql'), files.current ?? PUBLISHED);
  if (files.published !== null) {
    await mkdir(join(publishedDirectory, 'shop'), { recursive: true });
    await writeFile(join(publishedDirectory, 'shop', 'v1.graphql'), files.published ?? PUBLISHED);
  }
  return { contractsDirectory, publishedDirectory, subgraphs };
}

const check = async (files: Parameters<typeof tree>[0], options: { today?: string; usage?: UsageSources } = {}) =>
  runContractCheck({ ...(await tree(files)), usage: options.usage ?? NO_USAGE, today: options.today ?? BEFORE_SUNSET });

/** The one finding of a rule, after checking the report's text names contract, version, field and rule. */
function only(report: CheckReport, rule: CheckFinding['rule'], coordinate: string | null): CheckFinding {
  const found = report.findings.filter((f) => f.rule === rule);
  expect(found, JSON.stringify(report.findings, null, 2)).toHaveLength(1);
  expect(found[0]).toMatchObject({ contract: 'shop', version: 1, coordinate, file: expect.stringMatching(/shop[/\\]v1\.graphql$/) });
  expect(report.passed).toBe(false);
  expect(formatCheckReport(report)).toContain(`FAIL shop v1${coordinate ? ` ${coordinate}` : ''} [${rule}]`);
  return found[0]!;
}

/** Usage counters as the gateway keeps them (useUsageCounting), on the port's in-memory adapter: `count` requests by `principal` selecting `coordinate`. */
async function countersWith(uses: Array<{ coordinate: string; principal: string; count: number }>): Promise<UsageSources> {
  const cache = createMemoryCache();
  const counters = createUsageCounters(cache);
  for (const { coordinate, principal, count } of uses) {
    for (let i = 0; i < count; i++) await counters.record({ contract: { name: 'shop', version: 1, consumers: [] }, principalName: principal, clientName: null, coordinates: ['Query.order', coordinate] });
  }
  return { readers: [createCounterUsageReader(cache)], unavailable: [] };
}

describe('check: governed change of published contracts', () => {
  it("passes on the repository's contracts against their published snapshots", async () => {
    const contractsDirectory = fileURLToPath(new URL('../../contracts', import.meta.url));
    const report = await runContractCheck({ contractsDirectory, publishedDirectory: join(contractsDirectory, 'published'), subgraphs, usage: NO_USAGE, today: BEFORE_SUNSET });
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.versions.length).toBeGreaterThanOrEqual(4);
    expect(report.versions.filter((v) => v.status === 'ACTIVE' || v.status === 'DEPRECATED').every((v) => v.published)).toBe(true);
    expect(formatCheckReport(report)).toMatch(/Contract check passed: 0 finding\(s\)/);
  });

  it('passes when nothing changed', async () => {
    const report = await check({});
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('refuses a breaking change to a published version, naming contract, field, rule and fix', async () => {
    const report = await check({ current: PUBLISHED.replace('orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId")', 'orderId: ID @from(subgraph: "orders/v2", field: "Order.orderId")') });
    const finding = only(report, 'breaking-change', 'Timeline.orderId');
    expect(finding.message).toContain("changed type from 'ID!' to 'ID'");
    expect(finding.fix).toContain('contracts/shop/v2.graphql');
  });

  it("refuses hiding a published field from partners: a partner's view is judged as the partner is served it", async () => {
    const partner = PUBLISHED.replace('audience: INTERNAL', 'audience: PARTNER').replace('{ query: Query }', '@rowScope(subgraph: "orders/v2", dimension: "salesChannel") { query: Query }');
    const omitted = partner.replace('@from(subgraph: "orders/v2", field: "Order.lifecycleState")', '@from(subgraph: "orders/v2", field: "Order.lifecycleState") @redact(audience: PARTNER, strategy: OMIT)');
    const report = await check({ published: partner, current: omitted });
    const finding = only(report, 'breaking-change', 'Timeline.orderLifecycleState');
    expect(finding.message).toMatch(/^breaks published shop v1 for PARTNER: Field 'orderLifecycleState' was removed from object type 'Timeline' \(.*\) \[FIELD_REMOVED\]$/);
  });

  it('refuses removing a field that was never deprecated', async () => {
    const report = await check({ current: PUBLISHED.replace(/ {4}orderLifecycleState: .*\n/, '') });
    const finding = only(report, 'breaking-change', 'Timeline.orderLifecycleState');
    expect(finding.fix).toMatch(/restore Timeline\.orderLifecycleState as published\. A field leaves a published version only after @deprecated/);
  });

  it('refuses removing a deprecated field before its sunset, and says usage could not be verified', async () => {
    const report = await check({ current: withoutOrderStatus }, { today: BEFORE_SUNSET });
    const finding = only(report, 'deprecated-removed-before-sunset', 'Timeline.orderStatus');
    expect(finding.message).toBe('is deprecated and was removed before its sunset date 2027-03-31 (today is 2026-12-06). Usage in the last 30 days could not be verified.');
    expect(finding.fix).toContain('keep Timeline.orderStatus until 2027-03-31');
    expect(report.findings.map((f) => f.rule)).toEqual(['deprecated-removed-before-sunset']); // not also a generic breaking change
    expect(report.usage).toEqual({ kind: 'unverified', reason: 'DATABASE_URL is not set. REDIS_URL is not set.' });
    expect(formatCheckReport(report)).toContain("Usage in the last 30 days could not be verified: DATABASE_URL is not set. REDIS_URL is not set. So a deprecated field's removal is refused before its sunset date");
  });

  it('refuses removing a deprecated field after its sunset while a client used it in the last 30 days', async () => {
    const usage = await countersWith([{ coordinate: 'Timeline.orderStatus', principal: 'cs-portal', count: 3 }]);
    const report = await check({ current: withoutOrderStatus }, { today: AFTER_SUNSET, usage });
    const finding = only(report, 'deprecated-removed-while-used', 'Timeline.orderStatus');
    expect(finding.message).toContain('past its sunset (2027-03-31), but was used in the last 30 days by cs-portal (3) according to the usage counters in the in-memory cache.');
    expect(finding.fix).toContain('until those clients have moved to Timeline.orderLifecycleState');
  });

  it('allows removing a deprecated field after its sunset when no client used it, and warns when that cannot be verified', async () => {
    const unused = await check({ current: withoutOrderStatus, published: PUBLISHED }, { today: AFTER_SUNSET, usage: await countersWith([{ coordinate: 'Timeline.orderLifecycleState', principal: 'cs-portal', count: 9 }]) });
    expect(unused.findings.map((f) => f.rule)).toEqual(['unpublished-change']); // allowed: publish it
    expect(unused.warnings).toEqual([]);

    const unverified = await check({ current: withoutOrderStatus }, { today: AFTER_SUNSET });
    expect(unverified.findings.map((f) => f.rule)).toEqual(['unpublished-change']);
    expect(unverified.warnings).toEqual([expect.objectContaining({ kind: 'usage-unverified', coordinate: 'Timeline.orderStatus', message: expect.stringContaining('could not be verified') })]);
  });

  it('refuses a new field without lineage', async () => {
    const report = await check({ current: PUBLISHED.replace('  type Timeline {\n', '  type Timeline {\n    giftNote: String @classification(level: INTERNAL)\n') });
    const finding = only(report, 'lineage-required', 'Timeline.giftNote');
    expect(finding.fix).toContain('add @from(subgraph: "<context>/v<N>", field: "Type.field")');
    // The compiler refuses it too; it is reported once.
    expect(report.findings.filter((f) => f.coordinate === 'Timeline.giftNote')).toHaveLength(1);
  });

  it('refuses a new field without a classification', async () => {
    const report = await check({ current: PUBLISHED.replace('  type Timeline {\n', '  type Timeline {\n    placedAt: DateTime @from(subgraph: "orders/v2", field: "Order.placedAt")\n').replace('type Query', 'scalar DateTime\n  type Query') });
    const finding = only(report, 'classification-required', 'Timeline.placedAt');
    expect(finding.fix).toBe('add @classification(level: PUBLIC | INTERNAL | CONFIDENTIAL | PII).');
  });

  it('refuses a PII field without a redaction rule for PARTNER, even in an internal contract', async () => {
    const report = await check({ current: PUBLISHED.replace(' @redact(audience: PARTNER, strategy: MASK, mask: EMAIL)', '') });
    const finding = only(report, 'pii-partner-redaction-required', 'Timeline.customerEmail');
    expect(finding.fix).toContain('add @redact(audience: PARTNER, strategy: OMIT | MASK | TOKENIZE)');
  });

  it('refuses deleting a published version before its sunset, and allows it after', async () => {
    only(await check({ current: null }), 'published-version-removed', null);
    const retired = await check({ current: null, published: contract('DEPRECATED', '2027-01-31') }, { today: '2027-02-01' });
    expect(retired.findings).toEqual([]);
  });

  it('requires ACTIVE versions to be published, and their snapshot kept up to date', async () => {
    const unpublished = only(await check({ published: null }), 'unpublished-version', null);
    expect(unpublished.fix).toContain('run `npm run cli -- publish` and commit');
    const added = PUBLISHED.replace('  type Timeline {\n', '  type Timeline {\n    shippingCountry: String @from(subgraph: "orders/v2", field: "Order.shippingCountry") @classification(level: PUBLIC)\n');
    expect(only(await check({ current: added }), 'unpublished-change', null).message).toContain("Field 'shippingCountry' was added to object type 'Timeline'");
    expect((await check({ published: null, current: contract('DRAFT') })).findings).toEqual([]);
  });

  it('publishes compatible changes, after which the check passes; refuses to publish a breaking one', async () => {
    const added = PUBLISHED.replace('  type Timeline {\n', '  type Timeline {\n    shippingCountry: String @from(subgraph: "orders/v2", field: "Order.shippingCountry") @classification(level: PUBLIC)\n');
    const dirs = await tree({ current: added });
    const published = await publishContracts({ ...dirs, usage: NO_USAGE, today: BEFORE_SUNSET });
    expect(published).toMatchObject({ refused: false, written: [expect.stringMatching(/published[/\\]shop[/\\]v1\.graphql$/)] });
    expect(await readFile(join(dirs.publishedDirectory, 'shop', 'v1.graphql'), 'utf8')).toContain('shippingCountry: String');
    expect((await runContractCheck({ ...dirs, usage: NO_USAGE, today: BEFORE_SUNSET })).passed).toBe(true);

    await writeFile(join(dirs.contractsDirectory, 'shop', 'v1.graphql'), withoutOrderStatus);
    const refused = await publishContracts({ ...dirs, usage: NO_USAGE, today: BEFORE_SUNSET });
    expect(refused).toMatchObject({ refused: true, written: [] });
    expect(await readFile(join(dirs.publishedDirectory, 'shop', 'v1.graphql'), 'utf8')).toContain('orderStatus');
  });

  it('stops with a setup error when a published snapshot does not build', async () => {
    const error = await check({ published: 'type Query { broken: Nope }' }).catch((e: unknown) => e);
    expect(isCheckConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/The published snapshot .*shop[/\\]v1\.graphql does not build: .*Fix: restore it from version control/);
  });
});
