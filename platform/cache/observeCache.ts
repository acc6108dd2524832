import type { Cache } from './Cache.js';

/** The port's operations, as metric label values. */
export type CacheOperation = Exclude<keyof Cache, 'kind' | 'close'>;

/**
 * What became of one operation: `hit` or `miss` for a read that found a value or none (`get`,
 * `hashGetAll`), `ok` for anything else that succeeded, `error` when it threw (the cache down).
 */
export type CacheOutcome = 'hit' | 'miss' | 'ok' | 'error';

export type CacheObserver = (operation: CacheOperation, outcome: CacheOutcome) => void;

/**
 * The same cache, telling `observe` about every operation. A wrapper rather than a hook in each
 * adapter, so Redis and the in-memory cache are counted by one definition of hit and miss.
 */
export function observeCache(cache: Cache, observe: CacheObserver): Cache {
  const watched = async <T>(operation: CacheOperation, work: () => Promise<T>, outcomeOf: (value: T) => CacheOutcome = () => 'ok'): Promise<T> => {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      observe(operation, 'error');
      throw error;
    }
    observe(operation, outcomeOf(value));
    return value;
  };
  return {
    kind: cache.kind,
    get: (key) => watched('get', () => cache.get(key), (value) => (value === null ? 'miss' : 'hit')),
    set: (key, value, ttlMs) => watched('set', () => cache.set(key, value, ttlMs)),
    delete: (key) => watched('delete', () => cache.delete(key)),
    increment: (key, windowMs) => watched('increment', () => cache.increment(key, windowMs)),
    hashIncrement: (key, increments, ttlMs) => watched('hashIncrement', () => cache.hashIncrement(key, increments, ttlMs)),
    hashMax: (key, values, ttlMs) => watched('hashMax', () => cache.hashMax(key, values, ttlMs)),
    hashGetAll: (key) => watched('hashGetAll', () => cache.hashGetAll(key), (fields) => (Object.keys(fields).length === 0 ? 'miss' : 'hit')),
    admitToBoundedSet: (key, member, admission) => watched('admitToBoundedSet', () => cache.admitToBoundedSet(key, member, admission)),
    close: () => cache.close(),
  };
}
