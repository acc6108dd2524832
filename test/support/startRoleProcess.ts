import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: both entries run from it, as `npm start` and `npm run dev` do. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Which entry a test process runs: `dist` is `node dist/gateway/main.js` (what `npm start` and the
 * image run, after `npm run build`); `tsx` is the TypeScript source (what `npm run dev` runs), for
 * tests that must not depend on a fresh build.
 */
export type RoleEntry = 'dist' | 'tsx';

export interface RoleProcess {
  /** Base URL the process serves (`GET /health` at least), from its start banner. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** SIGTERM, then resolves with the exit code (SIGKILL after 15 s, then null). */
  stop(): Promise<number | null>;
}

/** Settings the parent's environment must not leak into a child: the child gets exactly the test's. */
const CONFIG_PREFIXES = ['KAFKA_', 'DATABASE_URL', 'REDIS_URL', 'ROLE', 'SIMULATOR', 'TOKENIZATION_SECRET', 'JWT_', 'METRICS_PUBLIC', 'EXPORT_DIRECTORY', 'PROJECTION_', 'TOPIC_PARTITIONS', 'HOST', 'PORT', 'EVENT_TIME_'];

/**
 * Spawns the gateway's entry as a child process with `env` as its configuration, and resolves
 * once it prints the URL of its `/health` (every role's banner does). Rejects with its output
 * when it exits first or takes longer than `timeoutMs`.
 */
export function startRoleProcess(entry: RoleEntry, env: Record<string, string>, timeoutMs = 60_000): Promise<RoleProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CONFIG_PREFIXES.some((p) => name.startsWith(p))));
  const args = entry === 'dist' ? ['dist/gateway/main.js'] : ['--import', 'tsx', 'gateway/main.ts'];
  const child = spawn(process.execPath, args, { cwd: repositoryRoot, env: { ...inherited, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      void stop();
      reject(new Error(`${entry} entry with ROLE=${env.ROLE ?? 'all'} ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no /health URL within ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => fail(`exited with ${code} before it was ready`));
    const poll = setInterval(() => {
      // The banner on a terminal or with demo keys; else the one JSON line `gateway listening` with its url.
      const match = /(http:\/\/[^\s'"]+)\/health\b/.exec(stdout) ?? /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"gateway listening"/.exec(stdout);
      if (!match || settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ url: match[1]!, child, stdout: () => stdout, stop });
    }, 50);
  });
}
