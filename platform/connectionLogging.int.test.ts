import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from './cache/index.js';
import { createPostgresDatabase } from './database/index.js';
import { captureLogger } from '../test/support/captureLogger.js';
import type { ScratchPostgres } from '../test/support/startScratchPostgres.js';
import { startScratchPostgres } from '../test/support/startScratchPostgres.js';
import type { ScratchRedis } from '../test/support/startScratchRedis.js';
import { startScratchRedis } from '../test/support/startScratchRedis.js';

// A server lost and found again is worth two log lines, not one per failed query or reconnection
// attempt: each adapter logs the transitions only, structured, with no connection string, key or
// value in them. Each server here is the test's own (the machine's are shared), stopped and started.

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('PostgreSQL lost and found again', () => {
  let server: ScratchPostgres;
  beforeAll(async () => {
    server = await startScratchPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });

  it('logs one warning when the pool loses the server and one info line when a query succeeds again', async () => {
    const { logger, lines, text } = captureLogger('debug');
    const db = await createPostgresDatabase(server.url, { logger, connectTimeoutMs: 1_000 });
    try {
      // Two idle connections in the pool, so the restart terminates sessions the pool holds.
      await Promise.all([db.query('select pg_sleep(0.05)'), db.query('select pg_sleep(0.05)')]);
      expect(db.stats?.()).toMatchObject({ kind: 'pool', maxConnections: 10, openConnections: 2, idleConnections: 2, waitingRequests: 0 });
      await server.stop();
      // Every query fails while it is down, as DATABASE_UNAVAILABLE...
      for (let i = 0; i < 5; i++) await expect(db.query('select 1')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', retriable: true });
      await server.start();
      await waitFor('a query to succeed', () => db.query('select 1').then(() => true, () => false));
      await db.query('select 1');
    } finally {
      await db.close();
    }
    // ...but the log says so once, and once that it is back.
    const lost = lines.filter((l) => l.msg.startsWith('database connection lost'));
    const back = lines.filter((l) => l.msg === 'database reachable again');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ level: 'warn', component: 'database', err: { code: 'DATABASE_UNAVAILABLE', retriable: true } });
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ level: 'info', component: 'database', pool: { open: expect.any(Number), idle: expect.any(Number), waiting: 0 } });
    expect(lines.indexOf(lost[0]!)).toBeLessThan(lines.indexOf(back[0]!));
    expect(text()).not.toContain(server.url);
  }, 60_000);
});

describe('Redis lost and found again', () => {
  let server: ScratchRedis;
  beforeAll(async () => {
    server = await startScratchRedis();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('logs one warning when the connection is lost and one info line when it is ready again, through the logger it is given', async () => {
    const { logger, lines, text } = captureLogger('debug');
    const cache = await createRedisCache(server.url, { logger, keyPrefix: 'connection-logging:', reconnect: { baseMs: 20, maxMs: 200, jitter: 'full' } });
    try {
      await cache.set('secret-looking-key', 'secret-looking-value');
      await server.stop();
      for (let i = 0; i < 5; i++) await expect(cache.get('secret-looking-key')).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      // Many reconnection attempts fail meanwhile: none of them is a line of its own.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await server.start();
      await waitFor('a command to succeed', () => cache.get('x').then(() => true, () => false));
    } finally {
      await cache.close();
    }
    const lost = lines.filter((l) => l.msg.startsWith('redis unavailable'));
    const back = lines.filter((l) => l.msg.startsWith('redis available again'));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ level: 'warn', component: 'cache', err: expect.objectContaining({ message: expect.any(String) }) });
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ level: 'info', component: 'cache' });
    expect(text()).not.toContain('secret-looking');
  }, 60_000);
});
