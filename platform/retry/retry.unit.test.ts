import { describe, expect, it } from 'vitest';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import { backoffDelay, createBackoff, isRetriable, retry } from './index.js';
import type { RetryNotice } from './index.js';

const unavailable = () => new PlatformError(PlatformErrorCode.DatabaseUnavailable, 'down', { retriable: true });

/** A clock that only moves when the retry loop sleeps: the schedule becomes a list of numbers. */
function fakeTime() {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
  };
}

/** Fails with `error` the first `times` calls, then answers `value`. */
function failing<T>(times: number, error: () => unknown, value: T) {
  let calls = 0;
  return {
    calls: () => calls,
    fn: async () => {
      calls++;
      if (calls <= times) throw error();
      return value;
    },
  };
}

describe('backoffDelay', () => {
  it('doubles the ceiling from baseMs up to maxMs', () => {
    const policy = { baseMs: 100, maxMs: 1_000, jitter: 'none' } as const;
    expect([1, 2, 3, 4, 5, 6, 60, 5_000].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
  });

  it('with full jitter, waits a random time below the ceiling', () => {
    const policy = { baseMs: 100, maxMs: 1_000, jitter: 'full' } as const;
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.999_999)).toBe(399);
    expect(backoffDelay(policy, 40, () => 0.5)).toBe(500);
  });

  it('refuses a policy or attempt that makes no sense, saying what it received', () => {
    expect(() => backoffDelay({ baseMs: 100, maxMs: 10, jitter: 'none' }, 1)).toThrow(/maxMs at least baseMs/);
    expect(() => backoffDelay({ baseMs: 100, maxMs: 1_000, jitter: 'none' }, 0)).toThrow(/received 0/);
  });
});

describe('isRetriable', () => {
  it('reads the retriable flag, and nothing else', () => {
    expect(isRetriable(unavailable())).toBe(true);
    expect(isRetriable(new PlatformError(PlatformErrorCode.ConfigInvalid, 'bad'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('kafkajs'), { retriable: true }))).toBe(true);
    expect(isRetriable(new Error('no flag'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('truthy is not true'), { retriable: 'yes' }))).toBe(false);
    expect(isRetriable(null)).toBe(false);
    expect(isRetriable('text')).toBe(false);
  });
});

describe('retry', () => {
  it('retries a retriable error with exponential waits, then answers', async () => {
    const time = fakeTime();
    const work = failing(3, unavailable, 'ok');
    const notices: RetryNotice[] = [];
    const result = await retry(work.fn, { attempts: 5, baseMs: 100, maxMs: 1_000, jitter: 'none', onRetry: (_e, n) => notices.push(n), ...time });
    expect(result).toBe('ok');
    expect(work.calls()).toBe(4);
    expect(time.slept).toEqual([100, 200, 400]);
    expect(notices).toEqual([
      { attempt: 1, delayMs: 100, retriable: true },
      { attempt: 2, delayMs: 200, retriable: true },
      { attempt: 3, delayMs: 400, retriable: true },
    ]);
  });

  it('draws each wait from the injected random source (full jitter)', async () => {
    const time = fakeTime();
    const draws = [0.5, 0.25, 0.9];
    await retry(failing(3, unavailable, 'ok').fn, { attempts: 4, baseMs: 100, maxMs: 1_000, jitter: 'full', random: () => draws.shift()!, ...time });
    expect(time.slept).toEqual([50, 50, 360]);
  });

  it('throws an error that is not retriable at once, as it was', async () => {
    const time = fakeTime();
    const refused = new PlatformError(PlatformErrorCode.ConfigInvalid, 'password authentication failed');
    const work = failing(5, () => refused, 'never');
    await expect(retry(work.fn, { attempts: 5, ...time })).rejects.toBe(refused);
    expect(work.calls()).toBe(1);
    expect(time.slept).toEqual([]);
  });

  it('asks isRetriable when given, instead of the flag', async () => {
    const time = fakeTime();
    const work = failing(2, () => new Error('ECONNRESET'), 'ok');
    expect(await retry(work.fn, { attempts: 3, jitter: 'none', isRetriable: (e) => (e as Error).message === 'ECONNRESET', ...time })).toBe('ok');
    expect(work.calls()).toBe(3);
  });

  it('with attempts, gives up after that many calls and throws the last error', async () => {
    const time = fakeTime();
    let n = 0;
    const work = async () => {
      n++;
      throw new PlatformError(PlatformErrorCode.CacheUnavailable, `failure ${n}`, { retriable: true });
    };
    await expect(retry(work, { attempts: 3, baseMs: 10, maxMs: 100, jitter: 'none', ...time })).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE', message: 'failure 3' });
    expect(n).toBe(3);
    expect(time.slept).toEqual([10, 20]);
  });

  it('with a deadline, keeps trying until it, the last wait cut to end there', async () => {
    const time = fakeTime();
    let n = 0;
    const work = async () => {
      n++;
      throw unavailable();
    };
    await expect(retry(work, { deadlineMs: 1_000, baseMs: 100, maxMs: 400, jitter: 'none', ...time })).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    // 100 + 200 + 400 = 700, then 300 left of the deadline (not 400), then no time left.
    expect(time.slept).toEqual([100, 200, 400, 300]);
    expect(n).toBe(5);
    expect(time.now()).toBe(1_000);
  });

  it('with a deadline of 0, tries once', async () => {
    const time = fakeTime();
    const work = failing(1, unavailable, 'ok');
    await expect(retry(work.fn, { deadlineMs: 0, ...time })).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(work.calls()).toBe(1);
  });

  it('stops waiting when its signal is aborted', async () => {
    const controller = new AbortController();
    const work = failing(10, unavailable, 'never');
    const pending = retry(work.fn, { attempts: 10, baseMs: 60_000, maxMs: 60_000, jitter: 'none', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 20);
    const started = performance.now();
    await expect(pending).rejects.toThrow('stopping');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(work.calls()).toBe(1);
  });

  it('refuses limits that make no sense', async () => {
    await expect(retry(async () => 1, { attempts: 0 })).rejects.toThrow(/attempts must be a whole number of at least 1, received 0/);
    await expect(retry(async () => 1, { deadlineMs: -1 })).rejects.toThrow(/deadlineMs must be a number of at least 0, received -1/);
  });
});

describe('createBackoff', () => {
  it('backs off on consecutive retriable failures and starts over after a success', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, jitter: 'none' });
    expect([1, 2, 3, 4, 5].map(() => backoff.fail(unavailable()).delayMs)).toEqual([100, 200, 400, 800, 1_000]);
    backoff.reset();
    expect(backoff.fail(unavailable())).toEqual({ attempt: 1, delayMs: 100, retriable: true });
  });

  it('waits the longest for a failure that is not retriable, and says so', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, jitter: 'full', random: () => 0.5 });
    expect(backoff.fail(new TypeError('a bug'))).toEqual({ attempt: 1, delayMs: 1_000, retriable: false });
    expect(backoff.fail(unavailable())).toEqual({ attempt: 2, delayMs: 100, retriable: true });
  });
});
