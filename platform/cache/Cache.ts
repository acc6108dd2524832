/**
 * The cache / counter port: a few string operations that both Redis and a Map can honour.
 * Values are strings; callers serialise. TTLs are in milliseconds.
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
  close(): Promise<void>;
}
