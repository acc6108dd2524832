import { Redis } from 'ioredis';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Cache } from './Cache.js';

export interface RedisCacheOptions {
  /** Prefix for every key, so several deployments can share one Redis. Default `dpg:`. */
  keyPrefix?: string;
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

export async function createRedisCache(url: string, options: RedisCacheOptions = {}): Promise<Cache> {
  const redis = new Redis(url, { keyPrefix: options.keyPrefix ?? 'dpg:', lazyConnect: true, maxRetriesPerRequest: 2 }) as ScriptedRedis;
  // Connection errors surface on the commands that fail; the event would otherwise crash the process.
  redis.on('error', () => undefined);
  // Scripts, so that read-compare-write is atomic across replicas (EVALSHA, loaded on first use;
  // ioredis prefixes their KEYS like any other command's).
  redis.defineCommand('hashMax', { numberOfKeys: 1, lua: HASH_MAX });
  redis.defineCommand('admitToBoundedSet', { numberOfKeys: 1, lua: ADMIT_TO_BOUNDED_SET });
  try {
    await redis.connect();
    await redis.ping();
  } catch (cause) {
    redis.disconnect();
    throw new PlatformError(
      PlatformErrorCode.CacheUnavailable,
      `Cannot connect to Redis at REDIS_URL: ${(cause as Error).message}. Fix: start Redis or correct REDIS_URL; unset it to use the in-memory cache.`,
      { retriable: true, cause },
    );
  }
  const exec = async (transaction: ReturnType<Redis['multi']>) => {
    for (const [error] of (await transaction.exec()) ?? []) if (error) throw error;
  };
  return {
    kind: 'redis',
    get: (key) => redis.get(key),
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, 'PX', ttlMs);
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, windowMs) {
      // One round trip; NX keeps the window anchored at the first increment.
      const [[incrError, count] = [], [expireError] = []] = (await redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) ?? [];
      if (incrError || expireError) throw incrError ?? expireError;
      return Number(count);
    },
    async hashIncrement(key, increments, ttlMs) {
      const transaction = redis.multi();
      for (const [field, by] of Object.entries(increments)) transaction.hincrby(key, field, by);
      await exec(transaction.pexpire(key, ttlMs, 'NX'));
    },
    async hashMax(key, values, ttlMs) {
      const args = Object.entries(values).flatMap(([field, value]) => [field, String(value)]);
      if (args.length > 0) await redis.hashMax(key, ...args, String(ttlMs));
    },
    hashGetAll: (key) => redis.hgetall(key),
    async admitToBoundedSet(key, member, { capacity, now, evictBefore, ttlMs }) {
      return (await redis.admitToBoundedSet(key, member, String(capacity), String(now), String(evictBefore), String(ttlMs))) === 1;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
