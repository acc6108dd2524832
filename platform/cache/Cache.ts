/**
 * The cache / counter port: a few string and hash operations that both Redis and a Map can
 * honour. Values are strings; callers serialise. TTLs are in milliseconds.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds 1 to a counter and returns the new value. The counter expires `windowMs` after its
   * first increment (a fixed window, as rate limits need).
   */
  increment(key: string, windowMs: number): Promise<number>;
  /**
   * Adds each increment to its field of the hash at `key`, creating both as needed. The hash
   * expires `ttlMs` after the call that created it; later calls leave the expiry alone, so a
   * calendar bucket (one hash per day) is dropped when its day leaves the window, wherever the
   * increments came from.
   */
  hashIncrement(key: string, increments: Readonly<Record<string, number>>, ttlMs: number): Promise<void>;
  /**
   * Sets each field of the hash at `key` to the greater of its stored number and the one given
   * (a "last seen" time never goes back when replicas write out of order). The hash then expires
   * `ttlMs` after this call.
   */
  hashMax(key: string, values: Readonly<Record<string, number>>, ttlMs: number): Promise<void>;
  /** Every field of the hash at `key`; `{}` when there is none. */
  hashGetAll(key: string): Promise<Record<string, string>>;
  /**
   * Admits `member` to the bounded set at `key`: at most `capacity` members, each stored with the
   * time it was last admitted (`now`, epoch ms). A member already in it is refreshed; a new one
   * gets in while there is room, after members last admitted before `evictBefore` are dropped.
   * Returns whether `member` is in the set afterwards. Atomic, so replicas sharing one cache never
   * admit more than `capacity` between them. The set expires `ttlMs` after the last admission.
   */
  admitToBoundedSet(key: string, member: string, options: BoundedSetAdmission): Promise<boolean>;
  close(): Promise<void>;
}

export interface BoundedSetAdmission {
  capacity: number;
  /** Epoch ms stored with the member. */
  now: number;
  /** Members last admitted before this (epoch ms) make room when the set is full. */
  evictBefore: number;
  ttlMs: number;
}
