import pg from 'pg';
import { quoteIdent } from '../../../platform/database/index.js';
import { ensureService } from './ensureService.js';
import type { EnsureServiceOptions, ServiceProbe } from './ensureService.js';
import { ProvisioningError } from './ProvisioningError.js';

export interface EnsurePostgresOptions extends Pick<EnsureServiceOptions, 'start' | 'notOurs' | 'readyWithinMs' | 'pollEveryMs'> {
  /** The `postgres://` URL the tests use; its database is created when the server lacks it. */
  url: string;
  /** How the line and errors name the server. Default `PostgreSQL on <host>:<port>`. */
  name?: string;
}

/**
 * Makes sure PostgreSQL answers at `url` (starting it with `start` when down) and has the
 * database the URL names. Resolves with one line saying what it did, or undefined when all was there.
 */
export async function ensurePostgres(options: EnsurePostgresOptions): Promise<string | undefined> {
  const target = new URL(options.url);
  const name = options.name ?? `PostgreSQL on ${target.host}`;
  const started = await ensureService({ ...options, name, probe: () => probePostgres(options.url) });
  const created = await ensureDatabase(options.url, name);
  if (!created) return started;
  return started ? `${started}; created database ${created}` : `created database ${created} on ${name} (CREATE DATABASE ${quoteIdent(created)})`;
}

/** Up when the server accepts the URL's credentials; a missing database still means the server is up. */
export async function probePostgres(url: string): Promise<ServiceProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { state: 'up' };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'DATABASE_MISSING') return { state: 'up' };
    // 57P03 cannot_connect_now: the server is starting up or shutting down; wait for it.
    if (code === '57P03') return { state: 'down', reason: describe(error) };
    if (code && /^[0-9A-Z]{5}$/.test(code)) return { state: 'unusable', reason: describe(error) };
    return { state: 'down', reason: describe(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the URL's database when the server does not have it (a fresh cluster has only `postgres`); resolves with its name when it did. */
async function ensureDatabase(url: string, serverName: string): Promise<string | undefined> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!database) return undefined;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return undefined;
  } catch (error) {
    if (errorCode(error) !== 'DATABASE_MISSING') {
      throw new ProvisioningError('UNUSABLE', `${serverName} answers but refuses the tests: ${describe(error)}`);
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  admin.on('error', () => undefined);
  const statement = `CREATE DATABASE ${quoteIdent(database)}`;
  try {
    await admin.connect();
    await admin.query(statement);
  } catch (error) {
    // 42P04 duplicate_database: a test run beside this one created it first.
    if (errorCode(error) === '42P04') return undefined;
    throw new ProvisioningError('UNUSABLE', `${serverName} has no database ${database}, and creating it failed: ${describe(error)}`, `psql '${maintenance.toString()}' -c '${statement}'`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return database;
}

/** SQLSTATE or Node error code; 3D000 invalid_catalog_name is named, as it is handled apart. */
function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return code === '3D000' ? 'DATABASE_MISSING' : code;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  return error.message && code ? `${error.message} [${code}]` : error.message || code || error.name;
}
