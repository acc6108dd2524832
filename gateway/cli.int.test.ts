import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createKafkaEventLog } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import { createPrincipalStore } from './access/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../subgraphs/orders/index.js';
import { orderEvent, placed } from '../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { kafkaBrokers, postgresUrl, uniqueName } from '../test/support/services.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const run = promisify(execFile);

/** Runs the CLI as an operator would, in its own process; resolves with its exit code and output. */
async function npmRunCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('operations CLI against PostgreSQL and Kafka', () => {
  let db: Database;
  let log: EventLog;
  const schema = uniqueName('orders_cli');
  const env = () => ({ DATABASE_URL: postgresUrl(), KAFKA_BROKERS: kafkaBrokers().join(','), SIMULATOR: 'off' });

  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
    log = await createKafkaEventLog({ brokers: kafkaBrokers(), sessionTimeoutMs: 6000 });
    const projector = createProjector({ log, db }, ordersContext, { schema });
    await projector.start();
    const id = uniqueName('ord-cli');
    await log.produce(ORDERS_EVENTS_TOPIC, [placed(id), { key: id, value: '{"broken": ' }, orderEvent(id, 2, 'OrderLineAmended', { lineId: '7', quantity: 1, unitPrice: '1.00' })]);
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC], 60_000);
    await projector.stop();
  });
  afterAll(async () => {
    await log.close();
    await db.close();
  });

  it('lists watermarks and quarantine, re-drives an entry, and runs a rebuild drill', async () => {
    const watermarks = await npmRunCli(['watermarks', '--context', 'orders', '--schema', schema], env());
    expect(watermarks.code).toBe(0);
    expect(watermarks.stdout).toContain('order_timeline');
    expect(watermarks.stdout).toContain(ORDERS_EVENTS_TOPIC);

    const listed = await npmRunCli(['quarantine', 'list', '--state', 'open', '--context', 'orders', '--schema', schema], env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('MALFORMED_JSON');
    expect(listed.stdout).toContain('IMPOSSIBLE_TRANSITION');
    const { rows } = await db.query<{ quarantine_id: string }>(`select quarantine_id from "${schema}".quarantine where reason_code = 'MALFORMED_JSON'`);

    const redriven = await npmRunCli(['quarantine', 'redrive', rows[0]!.quarantine_id, '--context', 'orders', '--schema', schema], env());
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain('quarantined-again'); // still bad JSON: kept, with a new entry

    const rebuild = await npmRunCli(['rebuild', 'order_timeline', '--context', 'orders', '--schema', schema], env());
    expect(rebuild.stderr).toBe('');
    expect(rebuild.code).toBe(0);
    const report = JSON.parse(rebuild.stdout) as { parityOk: boolean; swapped: boolean; events: number };
    expect(report).toMatchObject({ parityOk: true, swapped: true });
    expect(report.events).toBeGreaterThanOrEqual(3);
  });

  it('says what to set when a command cannot work, and shows usage for a bad one', async () => {
    const embedded = await npmRunCli(['quarantine', 'list'], { DATABASE_URL: '', KAFKA_BROKERS: '' });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('`quarantine` needs DATABASE_URL');
    const rebuild = await npmRunCli(['rebuild', 'order_timeline'], { DATABASE_URL: postgresUrl(), KAFKA_BROKERS: '' });
    expect(rebuild.code).toBe(2);
    expect(rebuild.stderr).toContain('Fix: KAFKA_BROKERS=');
    const unknown = await npmRunCli(['teleport', '--context', 'orders', '--schema', schema], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "teleport"');
    expect(unknown.stderr).toContain('Usage: npm run cli -- <command>');
    const badConfig = await npmRunCli(['watermarks'], { ...env(), PROJECTION_GAP_BOUND: 'soon' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain('PROJECTION_GAP_BOUND="soon" is not an integer');
  });
});

describe('principals CLI against PostgreSQL', () => {
  let db: Database;
  const accessSchema = uniqueName('access_cli');
  // No broker: principals need only the database.
  const env = () => ({ DATABASE_URL: postgresUrl(), KAFKA_BROKERS: '', SIMULATOR: 'off' });
  const principals = (...args: string[]) => npmRunCli(['principals', ...args, '--access-schema', accessSchema], env());
  const keyIn = (stdout: string) => /^(dpg_[a-z2-7]{8}_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];

  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    await db.query(`drop schema if exists ${quoteIdent(accessSchema)} cascade`);
    await db.close();
  });

  it('creates a principal whose printed key authenticates; lists it without secrets; rotates and revokes it', async () => {
    const store = createPrincipalStore(db, { schema: accessSchema, authCache: { ttlMs: 0 } });
    const created = await principals('create', '--name', 'acme-marketplace', '--audience', 'PARTNER', '--contracts', 'partner_order_status/v1', '--rights', 'export', '--scope', 'salesChannel=MARKETPLACE,region=EU|UK');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created principal prn_[a-z2-7]{16} "acme-marketplace" \(PARTNER\)/);
    expect(created.stdout).toContain('will not be shown again');
    const key = keyIn(created.stdout);
    expect(key).toBeDefined();
    const principal = await store.authenticateApiKey(key!);
    expect(principal).toMatchObject({ name: 'acme-marketplace', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'], region: ['EU', 'UK'] } });

    const listed = await principals('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('acme-marketplace');
    expect(listed.stdout).toContain(key!.slice(0, 12));
    expect(listed.stdout).not.toContain(key!.slice(13));

    const rotated = await principals('rotate', 'acme-marketplace', '--grace', '600');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/Previous keys stop working at \S+ \(600 s grace\)/);
    const newKey = keyIn(rotated.stdout);
    expect(newKey).toBeDefined();
    expect(newKey).not.toBe(key);
    expect((await store.authenticateApiKey(key!))?.id).toBe(principal?.id); // within the grace
    expect((await store.authenticateApiKey(newKey!))?.id).toBe(principal?.id);

    const revoked = await principals('revoke', 'acme-marketplace');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${principal?.id} "acme-marketplace" with its 2 key(s)`);
    expect(await store.authenticateApiKey(key!)).toBeNull();
    expect(await store.authenticateApiKey(newKey!)).toBeNull();
    const after = await principals('list');
    expect(after.stdout).toMatch(/acme-marketplace.*\d{4}-\d\d-\d\dT/);
  });

  it('refuses a partner without a row scope, a missing option, a bad scope and an unknown principal, saying how to fix each', async () => {
    const unscoped = await principals('create', '--name', 'loose', '--audience', 'PARTNER', '--contracts', 'partner_order_status/v1');
    expect(unscoped.code).toBe(1);
    expect(unscoped.stderr).toContain('PRINCIPAL_SPEC_INVALID: Principal spec is not valid:');
    expect(unscoped.stderr).toContain('rowScope is missing for a PARTNER');
    expect(unscoped.stderr).toContain('rowScope --scope dimension=value');
    expect(unscoped.stdout).not.toMatch(/dpg_/);

    const noName = await principals('create', '--audience', 'INTERNAL', '--contracts', '*');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('principals create needs --name');
    expect(noName.stderr).toContain('principals create --name N --audience INTERNAL|PARTNER');

    const badScope = await principals('create', '--name', 'x', '--audience', 'PARTNER', '--contracts', 'a/v1', '--scope', 'MARKETPLACE');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('--scope takes dimension=value');

    const unknown = await principals('revoke', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('PRINCIPAL_NOT_FOUND: No principal has the id or name "nobody"');

    const embedded = await npmRunCli(['principals', 'list'], { DATABASE_URL: '', KAFKA_BROKERS: '' });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('`principals` needs DATABASE_URL');
  });
});
