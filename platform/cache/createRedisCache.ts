import { Redis } from 'ioredis';
import { isPlatformError, PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { defaultLogger } from '../logging/index.js';
import type { BackoffPolicy } from '../retry/index.js';
import { backoffDelay, isRetriable, retry, untilAborted } from '../retry/index.js';
import type { Cache } from './Cache.js';
import { toCacheError } from './toCacheError.js';

export interface RedisCacheOptions {
  /** Prefix for every key, so several deployments can share one Redis. Default `dpg:`. */
  keyPrefix?: string;
  /**
   * Longest wait for one command, ms. Default 1000: a command takes well under a millisecond;
   * a Redis that stops answering (paused, network cut) must not hold a request for longer.
   */
  commandTimeoutMs?: number;
  /**
   * Waits between reconnection attempts after the connection is lost. Default 50 ms doubling to
   * 2 s, full jitter: every gateway replica reconnects to a restarted Redis at its own moment.
   */
  reconnect?: BackoffPolicy;
  /** How long the first connection is retried while Redis refuses it, ms. Default 5000. */
  startupWaitMs?: number;
  /**
   * Told once when the connection is lost and once when it is back (not once per command):
   * the outage is worth one warning, and every caller degrades on its own. Default: a line on
   * `logger` (warn when lost, info when back).
   */
  onAvailabilityChange?: (available: boolean, error?: unknown) => void;
  /** Where the default onAvailabilityChange writes. Default: warnings and errors on stderr. */
  logger?: Logger;
  /** Stops the first connection's retries (a SIGTERM during the start): the wait rejects at once. */
  signal?: AbortSignal;
}

/** Per field: the greater of stored and given; then the hash's expiry. ARGV: field, value, ..., ttlMs. */
const HASH_MAX = `
for i = 1, #ARGV - 1, 2 do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  if not stored or tonumber(ARGV[i + 1]) > tonumber(stored) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
return 1`;

/** ARGV: member, capacity, now, evictBefore, ttlMs. 1 when the member is in the set afterwards. */
const ADMIT_TO_BOUNDED_SET = `
local admit = function()
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[2]) then return admit() end
local members = redis.call('HGETALL', KEYS[1])
for i = 1, #members, 2 do
  if tonumber(members[i + 1]) < tonumber(ARGV[4]) then redis.call('HDEL', KEYS[1], members[i]) end
end
if redis.call('HLEN', KEYS[1]) < tonumber(ARGV[2]) then return admit() end
return 0`;

type ScriptedRedis = Redis & {
  hashMax(key: string, ...args: string[]): Promise<number>;
  admitToBoundedSet(key: string, ...args: string[]): Promise<number>;
};

const DEFAULT_RECONNECT: BackoffPolicy = { baseMs: 50, maxMs: 2_000, jitter: 'full' };
const logAvailability = (logger: Logger) => (available: boolean, error?: unknown) => {
  if (available) logger.info('redis available again; cache and counters are used again');
  // The driver's error: ioredis puts no key or value in a connection error.
  else logger.warn({ err: error }, 'redis unavailable; cache reads miss, counters are skipped and rate limits follow their onCacheError until it is back (reconnecting with backoff)');
};

export async function createRedisCache(url: string, options: RedisCacheOptions = {}): Promise<Cache> {
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  const onAvailabilityChange = options.onAvailabilityChange ?? logAvailability((options.logger ?? defaultLogger()).child({ component: 'cache' }));
  const redis = new Redis(url, {
    keyPrefix: options.keyPrefix ?? 'dpg:',
    lazyConnect: true,
    // No offline queue: while the connection is down a command fails at once (and its caller
    // degrades) instead of waiting for a reconnection that may take minutes.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    retryStrategy: (times) => backoffDelay(reconnect, times),
  }) as ScriptedRedis;
  // Scripts, so that read-compare-write is atomic across replicas (EVALSHA, loaded on first use;
  // ioredis prefixes their KEYS like any other command's).
  redis.defineCommand('hashMax', { numberOfKeys: 1, lua: HASH_MAX });
  redis.defineCommand('admitToBoundedSet', { numberOfKeys: 1, lua: ADMIT_TO_BOUNDED_SET });
  // Transitions only: `error` fires on every failed reconnection attempt, which is no news.
  let phase: 'connecting' | 'available' | 'lost' | 'closed' = 'connecting';
  let lastError: unknown;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  redis.on('close', () => {
    if (phase !== 'available') return;
    phase = 'lost';
    onAvailabilityChange(false, lastError ?? new Error('connection closed'));
  });
  redis.on('ready', () => {
    if (phase === 'lost') onAvailabilityChange(true);
    if (phase !== 'closed') phase = 'available';
  });
  try {
    await retry(
      async () => {
        try {
          if (redis.status === 'wait' || redis.status === 'end' || redis.status === 'close') await untilAborted(redis.connect(), options.signal);
          await untilAborted(redis.ping(), options.signal);
        } catch (error) {
          throw toCacheError(error);
        }
      },
      { deadlineMs: options.startupWaitMs ?? 5_000, baseMs: 50, maxMs: 1_000, signal: options.signal },
    );
  } catch (error) {
    phase = 'closed';
    redis.disconnect();
    const cause = isPlatformError(error) && error.cause instanceof Error ? error.cause : error;
    throw new PlatformError(
      PlatformErrorCode.CacheUnavailable,
      `Cannot connect to Redis at REDIS_URL: ${(cause as Error).message}. Fix: start Redis or correct REDIS_URL; unset it to use the in-memory cache.`,
      { retriable: isRetriable(error), cause },
    );
  }
  const exec = async (transaction: ReturnType<Redis['multi']>) => {
    for (const [error] of (await transaction.exec()) ?? []) if (error) throw error;
  };
  const classified = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toCacheError(error);
    }
  };
  return {
    kind: 'redis',
    get: (key) => classified(() => redis.get(key)),
    set: (key, value, ttlMs) =>
      classified(async () => {
        if (ttlMs === undefined) await redis.set(key, value);
        else await redis.set(key, value, 'PX', ttlMs);
      }),
    delete: (key) =>
      classified(async () => {
        await redis.del(key);
      }),
    increment: (key, windowMs) =>
      classified(async () => {
        // One round trip; NX keeps the window anchored at the first increment.
        const [[incrError, count] = [], [expireError] = []] = (await redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) ?? [];
        if (incrError || expireError) throw incrError ?? expireError;
        return Number(count);
      }),
    hashIncrement: (key, increments, ttlMs) =>
      classified(async () => {
        const transaction = redis.multi();
        for (const [field, by] of Object.entries(increments)) transaction.hincrby(key, field, by);
        await exec(transaction.pexpire(key, ttlMs, 'NX'));
      }),
    hashMax: (key, values, ttlMs) =>
      classified(async () => {
        const args = Object.entries(values).flatMap(([field, value]) => [field, String(value)]);
        if (args.length > 0) await redis.hashMax(key, ...args, String(ttlMs));
      }),
    hashGetAll: (key) => classified(() => redis.hgetall(key)),
    admitToBoundedSet: (key, member, { capacity, now, evictBefore, ttlMs }) =>
      classified(async () => (await redis.admitToBoundedSet(key, member, String(capacity), String(now), String(evictBefore), String(ttlMs))) === 1),
    async close() {
      phase = 'closed';
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
