import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createRedisCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../../platform/database/index.js';
import { postgresUrl, redisUrl, uniqueName } from '../../test/support/services.js';
import { createAuditLog } from '../audit/index.js';
import { createUsageCounters } from '../usage/index.js';
import type { CheckReport } from './CheckReport.js';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const run = promisify(execFile);
const NO_SERVICES = { DATABASE_URL: '', REDIS_URL: '', KAFKA_BROKERS: '' };

/** Runs the CLI as CI does, in its own process; resolves with its exit code and output. */
async function npmRunCli(args: string[], env: Record<string, string> = NO_SERVICES) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const contract = (name: string, withOrderStatus: boolean) => /* GraphQL */ `
  schema @contract(name: "${name}", version: 1, owner: "shop-team", audience: INTERNAL, consumers: ["c"], tier: EDGE, description: "d",
    changePolicy: "p", deliveryGuarantee: "g", latencyProfile: "l", freshnessSlaSeconds: 30, status: ACTIVE) { query: Query }

  type Query {
    order(orderId: ID!): Timeline @from(subgraph: "orders/v2", field: "Query.order") @classification(level: INTERNAL)
  }

  type Timeline {
    orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") @classification(level: INTERNAL)
${withOrderStatus ? '    orderStatus: String! @from(subgraph: "orders/v1", field: "Order.status") @deprecated(reason: "Use customerId.") @sunset(date: "2027-03-31", deprecatedOn: "2026-10-01") @classification(level: INTERNAL)' : ''}
  }
`;

describe('check and publish, as CI runs them', () => {
  let root: string;
  let contractsDir: string;
  let db: Database;
  let cache: Cache;
  const name = uniqueName('shop');
  const accessSchema = uniqueName('check_usage');
  const withServices = () => ({ DATABASE_URL: postgresUrl(), REDIS_URL: redisUrl(), KAFKA_BROKERS: '' });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'check-cli-'));
    contractsDir = join(root, 'contracts');
    await mkdir(join(contractsDir, name), { recursive: true });
    await writeFile(join(contractsDir, name, 'v1.graphql'), contract(name, true));
    db = await createPostgresDatabase(postgresUrl());
    cache = await createRedisCache(redisUrl()); // the gateway's default key prefix, as the CLI opens it
  });
  afterAll(async () => {
    // The counters' keys for this test's contract (its name is unique to the run).
    const redis = new Redis(redisUrl());
    const keys = await redis.keys(`dpg:usage:${name}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await db.query(`drop schema if exists ${quoteIdent(accessSchema)} cascade`);
    await cache.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  it("passes on the repository's contracts and says plainly that usage could not be verified", async () => {
    const checked = await npmRunCli(['check']);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('Usage in the last 30 days could not be verified: DATABASE_URL is not set');
    expect(checked.stdout).toMatch(/Contract check passed: 0 finding\(s\)/);
  });

  it('publishes a new version, then refuses removing its deprecated field while a client still uses it', async () => {
    const unpublished = await npmRunCli(['check', '--contracts-dir', contractsDir]);
    expect(unpublished.code).toBe(1);
    expect(unpublished.stdout).toContain(`FAIL ${name} v1 [unpublished-version]`);
    const published = await npmRunCli(['publish', '--contracts-dir', contractsDir]);
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(new RegExp(`Published 1 snapshot\\(s\\); commit them with the change:\\n  .*published/${name}/v1\\.graphql`));
    expect((await npmRunCli(['check', '--contracts-dir', contractsDir])).code).toBe(0);

    // Uses as the gateway records them: two counted uses, and audit entries (one too old to count).
    const counters = createUsageCounters(cache);
    for (let i = 0; i < 2; i++) await counters.record({ contract: { name, version: 1, consumers: ['c'] }, principalName: 'cs-portal', clientName: null, coordinates: ['Query.order', 'Timeline.orderStatus'] });
    const audit = createAuditLog(db, { schema: accessSchema });
    await audit.migrate();
    const use = (principalName: string, at: Date) => audit.record({ action: 'contract.query', at, principalId: `prn_${principalName}`, principalName, audience: 'INTERNAL', contract: `${name}/v1`, fieldsSelected: ['Timeline.orderId', 'Timeline.orderStatus'], outcome: 'ok', correlationId: 'c' });
    use('acme-portal', new Date());
    use('long-gone', new Date(Date.now() - 40 * 24 * 3600 * 1000));
    await audit.close();

    await writeFile(join(contractsDir, name, 'v1.graphql'), contract(name, false));
    const reportFile = join(root, 'check.json');
    const refused = await npmRunCli(['check', '--contracts-dir', contractsDir, '--today', '2027-04-01', '--access-schema', accessSchema, '--report', reportFile], withServices());
    expect(refused.stderr).toBe('');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`FAIL ${name} v1 Timeline.orderStatus [deprecated-removed-while-used]`);
    expect(refused.stdout).toContain(`Timeline.orderStatus is deprecated and past its sunset (2027-03-31), but was used in the last 30 days by acme-portal (1) according to the audit log "${accessSchema}"."audit_log"; cs-portal (2) according to the usage counters in the Redis cache.`);
    expect(refused.stdout).not.toContain('long-gone');
    expect(refused.stdout).toContain('Fix: keep Timeline.orderStatus until those clients have moved');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as CheckReport;
    expect(report).toMatchObject({ passed: false, today: '2027-04-01', usage: { kind: 'verified', sources: [`audit log "${accessSchema}"."audit_log"`, 'usage counters in the Redis cache'] } });
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'deprecated-removed-while-used', contract: name, version: 1, coordinate: 'Timeline.orderStatus' })]);

    const beforeSunset = await npmRunCli(['check', '--contracts-dir', contractsDir, '--format', 'json']);
    expect(beforeSunset.code).toBe(1);
    const json = JSON.parse(beforeSunset.stdout) as CheckReport;
    expect(json.usage.kind).toBe('unverified');
    expect(json.findings).toEqual([expect.objectContaining({ rule: 'deprecated-removed-before-sunset', coordinate: 'Timeline.orderStatus', fix: expect.stringContaining('until 2027-03-31') })]);

    const refusedPublish = await npmRunCli(['publish', '--contracts-dir', contractsDir]);
    expect(refusedPublish.code).toBe(1);
    expect(refusedPublish.stderr).toContain('Nothing was published');
    expect(await readFile(join(contractsDir, 'published', name, 'v1.graphql'), 'utf8')).toContain('orderStatus');
  });

  it('exits 2 on a usage or setup error, so CI can tell it from findings', async () => {
    const format = await npmRunCli(['check', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be text or json, not "xml"');
    const option = await npmRunCli(['check', '--strict-mode']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--strict-mode'");
    const today = await npmRunCli(['check', '--today', '31/03/2027']);
    expect(today.code).toBe(2);

    const broken = join(root, 'broken');
    await mkdir(join(broken, 'published', 'x'), { recursive: true });
    await writeFile(join(broken, 'published', 'x', 'v1.graphql'), 'type Query { x: Nope }');
    const snapshot = await npmRunCli(['check', '--contracts-dir', broken]);
    expect(snapshot.code).toBe(2);
    expect(snapshot.stderr).toMatch(/CHECK_CONFIG_INVALID: The published snapshot .*x\/v1\.graphql does not build/);
    const missing = await npmRunCli(['check', '--contracts-dir', join(root, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist. Fix: run from the repository root, or pass --contracts-dir DIR.');
  });
});
