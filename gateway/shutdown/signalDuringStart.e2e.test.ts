import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/freePort.js';
import { repositoryRoot } from '../../test/support/startRoleProcess.js';

// SIGTERM while `npm start` is still starting: waiting for a server that is not up yet, or stuck
// on one that accepts connections and never answers. Without a handler from the first moment,
// Node's default would kill the process mid-step (or a handler installed after the start would
// leave it deaf for as long as the start takes). It must stop within SHUTDOWN_DEADLINE_SECONDS:
// exit 0 when it could close what it opened in time, 1 when the deadline passed first.

interface Run {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startEntry(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', TOKENIZATION_SECRET: 'signal-during-start-secret-0123456789abcdef', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return { child, lines, exited };
}

async function waitForLine(run: Run, msg: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith(msg))) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`no "${msg}" line; got:\n${run.lines.map((l) => JSON.stringify(l)).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('SIGTERM while the process is still starting', () => {
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const server of servers.splice(0)) server.close();
  });

  it('while waiting for brokers that are not up: stops waiting at once, closes what opened and exits 0', async () => {
    const run = startEntry({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, SHUTDOWN_DEADLINE_SECONDS: '10' });
    children.push(run.child);
    await waitForLine(run, 'starting');
    // Well inside the 5 s the start waits for the brokers.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const signalledAt = performance.now();
    run.child.kill('SIGTERM');
    const exit = await run.exited;

    expect(exit).toMatchObject({ code: 0, signal: null });
    // The retry's wait was aborted: far sooner than the broker wait (5 s) would have ended.
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    const abandoning = run.lines.find((l) => l.msg === 'signal during start; abandoning the start');
    expect(abandoning).toMatchObject({ level: 'info', component: 'startup', signal: 'SIGTERM', step: 'services (event log, database, cache)' });
    expect(run.lines.find((l) => l.msg === 'start abandoned; stopped')).toMatchObject({ component: 'startup' });
    // Nothing of the gateway ever listened.
    expect(run.lines.some((l) => l.msg === 'gateway listening')).toBe(false);
  }, 60_000);

  it('stuck on a server that never answers: stops at the deadline and exits 1, naming the step still pending', async () => {
    // A "PostgreSQL" that accepts connections and never says a word: the connection attempt runs
    // its own 5 s timeout, which the signal cannot cut short; the 1 s deadline must.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    const run = startEntry({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nothing`, SHUTDOWN_DEADLINE_SECONDS: '1' });
    children.push(run.child);
    await waitForLine(run, 'starting');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalledAt = performance.now();
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    for (const socket of sockets) socket.destroy();

    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(900);
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    expect(run.lines.find((l) => l.msg === 'shutdown deadline passed during start; stopping with work still pending')).toMatchObject({ level: 'error', pending: expect.arrayContaining(['services (event log, database, cache)']) });
  }, 60_000);
});
