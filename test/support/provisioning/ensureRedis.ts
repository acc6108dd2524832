import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { ensureService } from './ensureService.js';
import type { EnsureServiceOptions, ServiceProbe } from './ensureService.js';
import type { CommandSpec } from './runCommand.js';

export interface EnsureRedisOptions extends Pick<EnsureServiceOptions, 'start' | 'notOurs' | 'readyWithinMs' | 'pollEveryMs'> {
  /** The `redis://` URL the tests use. */
  url: string;
  /** How the line and errors name the server. Default `Redis on <host>:<port>`. */
  name?: string;
}

/** Makes sure Redis answers PING at `url`, starting it with `start` when down. Resolves with the line saying it started it, or undefined. */
export function ensureRedis(options: EnsureRedisOptions): Promise<string | undefined> {
  const target = new URL(options.url);
  return ensureService({ ...options, name: options.name ?? `Redis on ${target.hostname}:${target.port || '6379'}`, probe: () => probeRedis(options.url) });
}

/**
 * How this machine's Redis is started: as a daemon bound to loopback that keeps nothing on disk
 * (tests only want a cache). `--dir` because the daemon outlives the run and would otherwise sit
 * in the directory the tests ran from, a clone that may be deleted.
 */
export function redisStartCommand(port: number, host = '127.0.0.1'): CommandSpec {
  return { command: 'redis-server', args: ['--daemonize', 'yes', '--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', tmpdir()] };
}

/** Up when PING answers PONG with the URL's credentials and database. */
export async function probeRedis(url: string): Promise<ServiceProbe> {
  // One attempt, no reconnects, no offline queue: a probe must answer now, not retry for ever.
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // The rejection says only "Connection is closed."; the error event has the cause (ECONNREFUSED ...).
  let cause = '';
  client.on('error', (error: Error) => {
    cause ||= error.message;
  });
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG' ? { state: 'up' } : { state: 'unusable', reason: `PING answered ${reply}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // LOADING: started, still reading its data set; NOAUTH / WRONGPASS: up, but not for these credentials.
    if (/^(NOAUTH|WRONGPASS|NOPERM)/.test(message)) return { state: 'unusable', reason: message };
    return { state: 'down', reason: cause || message };
  } finally {
    client.disconnect();
  }
}
