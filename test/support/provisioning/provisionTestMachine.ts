import { ensureChromium } from './ensureChromium.js';
import { ensureDebianPackage } from './ensureDebianPackage.js';
import { ensureLibrdkafka } from './ensureLibrdkafka.js';
import { ensurePostgres } from './ensurePostgres.js';
import { ensureRedis, redisStartCommand } from './ensureRedis.js';
import { localPostgresCluster } from './localPostgresCluster.js';
import type { LocalPostgresCluster } from './localPostgresCluster.js';
import { commandSucceeds } from './runCommand.js';
import { runProvisioningSteps } from './runProvisioningSteps.js';
import type { ProvisioningStep } from './runProvisioningSteps.js';

export interface ProvisionTestMachineOptions {
  /** PostgreSQL the tests use: TEST_DATABASE_URL or its default. */
  databaseUrl: string;
  /** Redis the tests use: TEST_REDIS_URL or its default. */
  redisUrl: string;
  /** Where those URLs came from, named when one points at a server that is down, e.g. `TEST_DATABASE_URL`. Default: none. */
  databaseUrlFrom?: string;
  redisUrlFrom?: string;
  /** Whether the run starts the mock Kafka broker (TEST_KAFKA_BROKERS unset); it needs python3 and librdkafka1. */
  mockKafkaBroker: boolean;
  /** Whether the run needs Debian's chromium (the catalog web app's browser tests). Default true. */
  browser?: boolean;
  /** Where each step's line goes. Default: stdout. */
  log?: (line: string) => void;
  /** This machine's PostgreSQL, started when the URL points at it and it is down. Default: Debian's `main` cluster, when there is one. */
  localPostgres?: LocalPostgresCluster;
  /** Port this machine's Redis listens on; started when the URL points at it and it is down. Default 6379. */
  localRedisPort?: number;
}

/**
 * Gives the tests everything they need beyond npm packages, on a machine of this kind: installs
 * missing Debian packages, starts this machine's PostgreSQL and Redis when they are down, and
 * creates the test database. Prints one line per thing it did, nothing when all was there.
 * Services the URLs place elsewhere are only checked, never started. Throws one ProvisioningError
 * listing every problem, with the command to run, when it cannot.
 *
 * What it starts is left running: these are the machine's shared services, which it normally
 * runs; another test run may be using them by the time this one ends.
 */
export function provisionTestMachine(options: ProvisionTestMachineOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sequences: ProvisioningStep[][] = [];
  // Debian packages one after another: apt-get and dpkg take one lock.
  const packages: ProvisioningStep[] = [];
  if (options.mockKafkaBroker) {
    packages.push(
      () =>
        ensureDebianPackage({
          packageName: 'python3',
          purpose: 'runs the Kafka test broker',
          isPresent: () => commandSucceeds({ command: 'python3', args: ['--version'] }, { timeoutMs: 30_000 }),
        }),
      () => ensureLibrdkafka(),
    );
  }
  if (options.browser ?? true) packages.push(() => ensureChromium());
  if (packages.length > 0) sequences.push(packages);
  sequences.push([() => ensurePostgres(postgresOptions(options))]);
  sequences.push([() => ensureRedis(redisOptions(options))]);
  return runProvisioningSteps(sequences, log);
}

function postgresOptions(options: ProvisionTestMachineOptions): Parameters<typeof ensurePostgres>[0] {
  const url = new URL(options.databaseUrl);
  const local = options.localPostgres ?? localPostgresCluster();
  const ours = local !== undefined && isLoopback(url.hostname) && Number(url.port || 5432) === local.port;
  if (ours) return { url: options.databaseUrl, name: `PostgreSQL ${local.version} on ${url.host}`, start: local.start };
  const mine = local ? `this machine's PostgreSQL ${local.version} (127.0.0.1:${local.port})` : 'this machine has no PostgreSQL cluster under /etc/postgresql';
  return { url: options.databaseUrl, notOurs: notOurs(options.databaseUrlFrom, mine) };
}

function redisOptions(options: ProvisionTestMachineOptions): Parameters<typeof ensureRedis>[0] {
  const url = new URL(options.redisUrl);
  const localPort = options.localRedisPort ?? 6379;
  const ours = isLoopback(url.hostname) && Number(url.port || 6379) === localPort;
  if (ours) return { url: options.redisUrl, start: redisStartCommand(localPort) };
  return { url: options.redisUrl, notOurs: notOurs(options.redisUrlFrom, `this machine's Redis (127.0.0.1:${localPort})`) };
}

function notOurs(from: string | undefined, mine: string): string {
  return from ? `${from} points at it, not at ${mine}; start it, or unset ${from}` : `it is not ${mine}; start it`;
}

function isLoopback(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname);
}
