import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';
import { localPostgresCluster } from './provisioning/index.js';

/** A PostgreSQL server of a test's own, on its own port and data directory, that the test may stop and start. */
export interface ScratchPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  port: number;
  /** Stops the server (`pg_ctl stop -m fast`: sessions are terminated with 57P01, as in a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it at once and deletes its data directory. Safe to call twice, and after a failed start. */
  destroy(): Promise<void>;
}

/**
 * Why a cluster of its own: fault tests stop and restart PostgreSQL, and this machine's server
 * (port 5432) is shared with every other test run. This one lives in a temporary directory,
 * listens on 127.0.0.1 on a free port, and is removed by `destroy` (and, should the test process
 * exit without calling it, by an exit hook). It runs as the `postgres` user when the test runs
 * as root (PostgreSQL refuses to run as root), as the current user otherwise.
 */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = postgresBinaries();
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  const root = mkdtempSync(join(tmpdir(), 'dpg-scratch-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const data = join(root, 'data');
  const port = await freePort();
  let destroyed = false;

  const run = (command: string, args: string[], timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      let output = '';
      const child = spawn(join(bin, command), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: { ...process.env, LC_ALL: 'C' } });
      const collect = (chunk: Buffer) => void (output += chunk.toString());
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${output.trim()}${existsSync(join(root, 'server.log')) ? `\nserver log:\n${readFileSync(join(root, 'server.log'), 'utf8').slice(-2_000)}` : ''}`));
      });
    });

  // fsync off: the data is a test's, and durability across a power cut is not what is tested.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const start = () => run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-t', '30', '-o', serverOptions, 'start']);
  const stopNow = () => {
    try {
      execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) });
    } catch {
      // Not running.
    }
    rmSync(root, { recursive: true, force: true });
  };
  // A test process that dies without its afterAll must not leave a server running.
  const onExit = () => stopNow();
  process.once('exit', onExit);

  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await start();
  } catch (error) {
    stopNow();
    process.off('exit', onExit);
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']),
    start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.off('exit', onExit);
      stopNow();
    },
  };
}

/** The server binaries of the installed PostgreSQL (Debian keeps them out of PATH), else PATH's. */
function postgresBinaries(): string {
  const cluster = localPostgresCluster();
  const debian = cluster ? `/usr/lib/postgresql/${cluster.version}/bin` : undefined;
  if (debian && existsSync(join(debian, 'initdb'))) return debian;
  const found = execFileSync('sh', ['-c', 'command -v initdb || true']).toString().trim();
  if (!found) throw new Error('initdb is not installed: a fault test needs a PostgreSQL server of its own. Fix: apt-get install -y postgresql');
  return join(found, '..');
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`No user ${name} on this machine: PostgreSQL cannot run as root, and its package creates that user. Fix: apt-get install -y postgresql`);
  return { uid: Number(uid), gid: Number(gid) };
}
