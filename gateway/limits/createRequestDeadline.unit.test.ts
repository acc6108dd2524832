import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createRequestDeadline } from './createRequestDeadline.js';

const never = () => new Promise<never>(() => undefined);

describe('createRequestDeadline', () => {
  it('rejects work that outlives it with REQUEST_TIMEOUT naming what did not finish, and aborts its signal', async () => {
    const deadline = createRequestDeadline(50);
    expect(deadline.signal.aborted).toBe(false);
    const started = performance.now();
    const error = await deadline.race(never(), 'Reading the orders projection').catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toBe('Reading the orders projection did not finish within the 50 ms request deadline.');
    expect((error as GraphQLError).extensions).toEqual({ code: 'REQUEST_TIMEOUT', deadlineMs: 50, http: { status: 504 } });
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as GraphQLError).extensions.code).toBe('REQUEST_TIMEOUT');
    expect(deadline.remainingMs()).toBe(0);
  });

  it('passes through the result or the failure of work that finishes in time', async () => {
    const deadline = createRequestDeadline(1_000);
    await expect(deadline.race(Promise.resolve(42), 'answer')).resolves.toBe(42);
    await expect(deadline.race(Promise.reject(new Error('boom')), 'failure')).rejects.toThrow('boom');
    expect(deadline.remainingMs()).toBeGreaterThan(900);
    expect(deadline.remainingMs()).toBeLessThanOrEqual(1_000);
    deadline.clear();
  });

  it('rejects at once when the deadline has already passed', async () => {
    const deadline = createRequestDeadline(10);
    await sleep(30);
    const started = performance.now();
    await expect(deadline.race(sleep(1_000), 'late work')).rejects.toMatchObject({ extensions: { code: 'REQUEST_TIMEOUT' } });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('never aborts once cleared', async () => {
    const deadline = createRequestDeadline(10);
    deadline.clear();
    await sleep(40);
    expect(deadline.signal.aborted).toBe(false);
  });

  it('refuses a deadline that is not a positive number', () => {
    expect(() => createRequestDeadline(0)).toThrow(/positive number of milliseconds/);
    expect(() => createRequestDeadline(Number.NaN)).toThrow(/positive number of milliseconds/);
  });
});
