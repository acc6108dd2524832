import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from './runCommand.js';

/** This machine's own PostgreSQL cluster, as Debian's postgresql-common lays it out. */
export interface LocalPostgresCluster {
  version: string;
  cluster: string;
  port: number;
  /** Starts it whether or not systemd runs (machines of this kind have none). */
  start: CommandSpec;
}

/**
 * Finds Debian's `main` cluster under `configRoot` (the newest version when several are
 * installed), or undefined when PostgreSQL is not installed that way.
 */
export function localPostgresCluster(configRoot = '/etc/postgresql'): LocalPostgresCluster | undefined {
  if (!existsSync(configRoot)) return undefined;
  const versions = readdirSync(configRoot)
    .filter((version) => existsSync(join(configRoot, version, 'main', 'postgresql.conf')))
    .sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  if (!version) return undefined;
  const conf = readFileSync(join(configRoot, version, 'main', 'postgresql.conf'), 'utf8');
  const port = Number(/^\s*port\s*=\s*(\d+)/m.exec(conf)?.[1] ?? 5432);
  return {
    version,
    cluster: 'main',
    port,
    start: { command: 'pg_ctlcluster', args: ['--skip-systemctl-redirect', version, 'main', 'start'] },
  };
}
