import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, redisUrl, uniqueName } from '../services.js';
import {
  ensureChromium,
  ensureDebianPackage,
  ensureLibrdkafka,
  ensurePostgres,
  ensureRedis,
  formatCommand,
  isDebianPackageInstalled,
  localPostgresCluster,
  probeRedis,
  provisionTestMachine,
  ProvisioningError,
  redisStartCommand,
  runCommand,
} from './index.js';
import type { CommandSpec } from './index.js';

// Everything here acts on things this file creates (a Redis and a PostgreSQL on spare ports, a
// database of its own, the tiny package `sl`), never on the machine's shared services.

const isRoot = process.getuid?.() === 0;

async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function thrown(promise: Promise<unknown>): Promise<ProvisioningError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ProvisioningError)) throw new Error(`expected a ProvisioningError, got ${String(error)}`);
  return error;
}

/** Fails the test if it runs: proves a step did not try to act. */
const mustNotRun: CommandSpec = { command: 'sh', args: ['-c', 'echo this must not run >&2; exit 99'] };

describe('ensureDebianPackage', () => {
  it('does nothing and says nothing when the package is installed', async () => {
    expect(await isDebianPackageInstalled('hostname')).toBe(true);
    expect(await ensureDebianPackage({ packageName: 'hostname', installCommands: [mustNotRun] })).toBeUndefined();
  });

  it('stops with the exact command when it may not install (not root)', async () => {
    expect(await isDebianPackageInstalled('dpg-no-such-package')).toBe(false);
    const error = await thrown(ensureDebianPackage({ packageName: 'dpg-no-such-package', purpose: 'a test', mayInstall: false }));
    expect(error.code).toBe('CANNOT_INSTALL');
    expect(error.command).toBe('apt-get update && apt-get install -y dpg-no-such-package');
    expect(error.message).toContain('dpg-no-such-package (a test) is not installed, and installing it needs root');
    expect(error.message).toContain('Run: apt-get update && apt-get install -y dpg-no-such-package');
  });

  it('stops with the exact command when installing fails (apt-get without permission)', async () => {
    // apt-get run as `nobody` fails as it does for any user who is not root: the dpkg lock.
    const asNobody: CommandSpec = { command: 'runuser', args: ['-u', 'nobody', '--', 'apt-get', 'install', '-y', 'sl'], env: { DEBIAN_FRONTEND: 'noninteractive' } };
    const error = await thrown(ensureDebianPackage({ packageName: 'sl', isPresent: async () => false, mayInstall: true, installCommands: [asNobody] }));
    expect(error.code).toBe('CANNOT_INSTALL');
    expect(error.message).toMatch(/exited with 100: .*Permission denied/);
    expect(error.message).toContain('Run: runuser -u nobody -- apt-get install -y sl');
  });

  it('says so when the install command succeeds but the package is still missing', async () => {
    const error = await thrown(ensureDebianPackage({ packageName: 'dpg-no-such-package', mayInstall: true, installCommands: [{ command: 'true', args: [] }] }));
    expect(error.code).toBe('CANNOT_INSTALL');
    expect(error.message).toContain('still missing after `true` succeeded');
  });

  describe.skipIf(!isRoot)('installs a missing package for real (apt-get update, apt-get install)', () => {
    let installedHere = false;
    afterAll(async () => {
      if (installedHere) await runCommand({ command: 'apt-get', args: ['remove', '-y', 'sl'], env: { DEBIAN_FRONTEND: 'noninteractive' } });
    });

    it('installs it, prints one line with the command, and is silent the next time', async () => {
      if (await isDebianPackageInstalled('sl')) return; // someone installed it by hand: nothing to prove here
      const line = await ensureDebianPackage({ packageName: 'sl' });
      installedHere = true;
      expect(line).toBe('installed sl (apt-get update && apt-get install -y sl)');
      expect(await isDebianPackageInstalled('sl')).toBe(true);
      expect(await ensureDebianPackage({ packageName: 'sl', installCommands: [mustNotRun] })).toBeUndefined();
    });
  });
});

describe('ensureLibrdkafka', () => {
  it('is silent on this machine, where the mock broker can load librdkafka', async () => {
    expect(await ensureLibrdkafka({ installCommands: [mustNotRun] })).toBeUndefined();
  });

  it('checks that the library loads, and names the package and command when it does not', async () => {
    const error = await thrown(ensureLibrdkafka({ library: 'librdkafka-not-there.so.9', mayInstall: false }));
    expect(error.code).toBe('CANNOT_INSTALL');
    expect(error.message).toContain('librdkafka1 (the Kafka test broker loads it) is not installed');
    expect(error.command).toBe('apt-get update && apt-get install -y librdkafka1');
  });
});

describe('ensureChromium', () => {
  it("is silent on this machine, where Debian's chromium runs", async () => {
    expect(await ensureChromium({ installCommands: [mustNotRun] })).toBeUndefined();
  });

  it('checks that the browser runs, and names the package and command when it does not', async () => {
    const error = await thrown(ensureChromium({ executable: '/usr/bin/chromium-not-there', mayInstall: false }));
    expect(error.code).toBe('CANNOT_INSTALL');
    expect(error.message).toContain('chromium (the catalog web app tests drive it with playwright-core) is not installed');
    expect(error.command).toBe('apt-get update && apt-get install -y chromium');
  });
});

describe('ensureRedis', () => {
  const started: number[] = [];
  afterAll(async () => {
    for (const port of started) await runCommand({ command: 'redis-cli', args: ['-h', '127.0.0.1', '-p', String(port), 'shutdown', 'nosave'] });
  });

  it('starts a Redis that is down, prints one line with the command, and is silent once it is up', async () => {
    const port = await sparePort();
    const url = `redis://127.0.0.1:${port}`;
    expect((await probeRedis(url)).state).toBe('down');

    const line = await ensureRedis({ url, start: redisStartCommand(port) });
    started.push(port);
    expect(line).toBe(`started Redis on 127.0.0.1:${port} (redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save '' --appendonly no --dir ${tmpdir()})`);
    const client = new Redis(url);
    try {
      await client.set('provisioned', 'yes');
      expect(await client.get('provisioned')).toBe('yes');
    } finally {
      client.disconnect();
    }
    expect(await ensureRedis({ url, start: mustNotRun })).toBeUndefined();
  });

  it('stops with the exact command when the start command fails', async () => {
    const port = await sparePort();
    const denied: CommandSpec = { command: 'sh', args: ['-c', 'echo "redis-server: Permission denied" >&2; exit 1'] };
    const error = await thrown(ensureRedis({ url: `redis://127.0.0.1:${port}`, start: denied }));
    expect(error.code).toBe('CANNOT_START');
    expect(error.message).toContain(`Redis on 127.0.0.1:${port} is down (connect ECONNREFUSED`);
    expect(error.message).toContain('starting it failed: exit 1: redis-server: Permission denied');
    expect(error.command).toBe(`sh -c 'echo "redis-server: Permission denied" >&2; exit 1'`);
  });

  it('stops with the command when the service does not come up within the bound', async () => {
    const port = await sparePort();
    const startedAt = Date.now();
    const error = await thrown(ensureRedis({ url: `redis://127.0.0.1:${port}`, start: { command: 'true', args: [] }, readyWithinMs: 600, pollEveryMs: 100 }));
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(error.code).toBe('NOT_READY');
    expect(error.message).toContain('was started but did not answer within 600 ms');
    expect(error.command).toBe('true');
  });

  it('never starts a Redis that is not its to start: it stops and says why', async () => {
    const port = await sparePort();
    const error = await thrown(ensureRedis({ url: `redis://127.0.0.1:${port}`, notOurs: 'TEST_REDIS_URL points at it; unset TEST_REDIS_URL' }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain('TEST_REDIS_URL points at it; unset TEST_REDIS_URL');
    expect((await probeRedis(`redis://127.0.0.1:${port}`)).state).toBe('down');
  });
});

describe('ensurePostgres', () => {
  const dropAfter: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    for (const database of dropAfter) await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
    await admin.end();
  });

  it('is silent when the server answers and has the database', async () => {
    expect(await ensurePostgres({ url: postgresUrl(), start: mustNotRun })).toBeUndefined();
  });

  it('creates the database the URL names when the server lacks it', async () => {
    const database = uniqueName('provisioned');
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    dropAfter.push(database);
    const line = await ensurePostgres({ url: url.toString(), start: mustNotRun });
    expect(line).toBe(`created database ${database} on PostgreSQL on ${url.host} (CREATE DATABASE "${database}")`);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    expect((await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name).toBe(database);
    await client.end();
    expect(await ensurePostgres({ url: url.toString(), start: mustNotRun })).toBeUndefined();
  });

  it('stops, without starting anything, when the server answers but refuses the tests', async () => {
    const url = new URL(postgresUrl());
    url.username = 'dpg_no_such_role';
    const error = await thrown(ensurePostgres({ url: url.toString(), start: mustNotRun }));
    expect(error.code).toBe('UNUSABLE');
    expect(error.message).toContain('answers but refuses the tests');
    expect(error.message).toContain('"dpg_no_such_role"');
  });

  const cluster = localPostgresCluster();
  describe.skipIf(!isRoot || !cluster)('starts a PostgreSQL that is down (a throwaway cluster on a spare port)', () => {
    const asPostgres = (command: string, args: string[]): CommandSpec => ({ command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] });
    const bin = (name: string): string => `/usr/lib/postgresql/${cluster?.version}/bin/${name}`;
    let dataDir: string | undefined;
    afterAll(async () => {
      if (!dataDir) return;
      await runCommand(asPostgres(bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts it, creates the test database, and says both in one line', async () => {
      const data = mkdtempSync(join(tmpdir(), 'dpg-provisioning-pg-'));
      dataDir = data;
      const [uid, gid] = await Promise.all([runCommand({ command: 'id', args: ['-u', 'postgres'] }), runCommand({ command: 'id', args: ['-g', 'postgres'] })]);
      chownSync(data, Number(uid.output.trim()), Number(gid.output.trim()));
      const init = await runCommand(asPostgres(bin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres']), { timeoutMs: 60_000 });
      expect(init.exitCode, init.output).toBe(0);

      const port = await sparePort();
      const url = `postgres://postgres@127.0.0.1:${port}/test`;
      const options = `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`;
      const start = asPostgres(bin('pg_ctl'), ['-D', data, '-l', join(data, 'server.log'), '-o', options, 'start']);
      const line = await ensurePostgres({ url, name: `PostgreSQL ${cluster?.version} on 127.0.0.1:${port}`, start });
      expect(line).toBe(
        `started PostgreSQL ${cluster?.version} on 127.0.0.1:${port} (runuser -u postgres -- ${bin('pg_ctl')} -D ${data} -l ${data}/server.log -o '${options}' start); created database test`,
      );
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      expect((await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name).toBe('test');
      await client.end();
      expect(await ensurePostgres({ url, start: mustNotRun })).toBeUndefined();
    });
  });
});

describe('provisionTestMachine', () => {
  it('says nothing on this machine as it is: everything the tests need is there', async () => {
    const lines: string[] = [];
    await provisionTestMachine({ databaseUrl: postgresUrl(), redisUrl: redisUrl(), mockKafkaBroker: !process.env.TEST_KAFKA_BROKERS, log: (line) => lines.push(line) });
    expect(lines).toEqual([]);
  });

  it("starts this machine's own services when the URLs point at them and they are down", async () => {
    const [pgPort, redisPort] = [await sparePort(), await sparePort()];
    const lines: string[] = [];
    const pgStart: CommandSpec = { command: 'sh', args: ['-c', 'echo "pg_ctlcluster: must be root or postgres" >&2; exit 1'] };
    const error = await thrown(
      provisionTestMachine({
        databaseUrl: `postgres://postgres@127.0.0.1:${pgPort}/test`,
        redisUrl: `redis://localhost:${redisPort}`,
        mockKafkaBroker: false,
        localPostgres: { version: '15', cluster: 'main', port: pgPort, start: pgStart },
        localRedisPort: redisPort,
        log: (line) => lines.push(line),
      }),
    ).finally(() => runCommand({ command: 'redis-cli', args: ['-p', String(redisPort), 'shutdown', 'nosave'] }));
    expect(lines).toEqual([`started Redis on localhost:${redisPort} (${formatCommand(redisStartCommand(redisPort))})`]);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.code).toBe('CANNOT_START');
    expect(error.message).toContain(`PostgreSQL 15 on 127.0.0.1:${pgPort} is down`);
    expect(error.message).toContain('must be root or postgres');
    expect(error.problems[0]?.command).toBe(formatCommand(pgStart));
  });

  it('never starts services the URLs place elsewhere, and lists every problem in one error', async () => {
    const [pgPort, redisPort] = [await sparePort(), await sparePort()];
    const lines: string[] = [];
    const error = await thrown(
      provisionTestMachine({
        databaseUrl: `postgres://postgres@127.0.0.1:${pgPort}/test`,
        databaseUrlFrom: 'TEST_DATABASE_URL',
        redisUrl: `redis://127.0.0.1:${redisPort}`,
        redisUrlFrom: 'TEST_REDIS_URL',
        mockKafkaBroker: false,
        log: (line) => lines.push(line),
      }),
    );
    expect(error.code).toBe('SETUP_STOPPED');
    expect(error.problems.map((problem) => problem.code)).toEqual(['UNREACHABLE', 'UNREACHABLE']);
    expect(error.message).toMatch(/^Test setup stopped before any test ran: 2 things the tests need are missing\.\n/);
    expect(error.message).toContain(`PostgreSQL on 127.0.0.1:${pgPort} does not answer`);
    expect(error.message).toContain('TEST_DATABASE_URL points at it, not at this machine');
    expect(error.message).toContain(`Redis on 127.0.0.1:${redisPort} does not answer`);
    expect(error.message).toContain('unset TEST_REDIS_URL');
    expect(lines).toEqual([]);
    expect((await probeRedis(`redis://127.0.0.1:${redisPort}`)).state).toBe('down');
  });
});

describe('localPostgresCluster', () => {
  it("reads Debian's layout: newest version with a main cluster, its port, its start command", () => {
    const root = mkdtempSync(join(tmpdir(), 'dpg-etc-postgresql-'));
    try {
      expect(localPostgresCluster(join(root, 'absent'))).toBeUndefined();
      for (const [version, port] of [['13', 5433], ['15', 5434]] as const) {
        mkdirSync(join(root, version, 'main'), { recursive: true });
        writeFileSync(join(root, version, 'main', 'postgresql.conf'), `# port = 1\nport = ${port}\t\t# comment\n`);
      }
      mkdirSync(join(root, '16'));
      expect(localPostgresCluster(root)).toEqual({
        version: '15',
        cluster: 'main',
        port: 5434,
        start: { command: 'pg_ctlcluster', args: ['--skip-systemctl-redirect', '15', 'main', 'start'] },
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
