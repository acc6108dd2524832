import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/captureLogger.js';
import { createShutdown, exitCodeOf } from './createShutdown.js';
import { planShutdown } from './planShutdown.js';

const step = (name: string, trace: string[], ms = 10, fail = false) => ({
  name,
  run: async () => {
    trace.push(`${name} start`);
    await sleep(ms);
    if (fail) throw new Error(`${name} broke`);
    trace.push(`${name} end`);
  },
});

describe('createShutdown', () => {
  it('runs phases one after another and the tasks of a phase together, then reports clean (exit 0)', async () => {
    const trace: string[] = [];
    const { logger, lines } = captureLogger('info');
    const shutdown = createShutdown([[step('a', trace, 30), step('b', trace, 10)], [step('c', trace)]], { deadlineMs: 1000, logger });
    const outcome = await shutdown.run('SIGTERM');
    expect(trace).toEqual(['a start', 'b start', 'b end', 'a end', 'c start', 'c end']);
    expect(outcome.kind).toBe('clean');
    expect(exitCodeOf(outcome)).toBe(0);
    expect(shutdown.phase).toBe('done');
    expect(lines.map((l) => l.msg)).toEqual(['shutting down', 'shutdown step done', 'shutdown step done', 'shutdown step done', 'shutdown complete']);
    expect(lines[0]).toMatchObject({ reason: 'SIGTERM', deadlineMs: 1000, steps: [['a', 'b'], ['c']] });
  });

  it('stops waiting at the deadline and names what was still pending (exit 1)', async () => {
    const trace: string[] = [];
    const { logger, lines } = captureLogger('info');
    const outcome = await createShutdown([[step('quick', trace), step('stuck batch', trace, 5000)], [step('close pools', trace)]], { deadlineMs: 100, logger }).run('SIGTERM');
    expect(outcome).toMatchObject({ kind: 'forced', pending: ['stuck batch', 'close pools'] });
    expect(outcome.durationMs).toBeLessThan(1000);
    expect(exitCodeOf(outcome)).toBe(1);
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'shutdown deadline passed; stopping with work still pending', pending: ['stuck batch', 'close pools'] });
  });

  it('goes on after a failing step, closing the rest, and reports it (exit 1)', async () => {
    const trace: string[] = [];
    const { logger, lines } = captureLogger('info');
    const outcome = await createShutdown([[step('gateway', trace, 5, true)], [step('services', trace)]], { deadlineMs: 1000, logger }).run('SIGINT');
    expect(trace).toEqual(['gateway start', 'services start', 'services end']);
    expect(outcome).toMatchObject({ kind: 'failed', failed: ['gateway'] });
    expect(exitCodeOf(outcome)).toBe(1);
    expect(lines.find((l) => l.msg === 'shutdown step failed')).toMatchObject({ step: 'gateway', err: { message: 'gateway broke' } });
  });

  it('runs once, however often it is asked', async () => {
    const trace: string[] = [];
    const shutdown = createShutdown([[step('only', trace)]], { deadlineMs: 1000, logger: captureLogger().logger });
    const [first, second] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect(first).toBe(second);
    expect(trace).toEqual(['only start', 'only end']);
  });
});

describe('planShutdown', () => {
  it('drains HTTP beside the ingest (feeds before projectors), then the gateway, access, and the services last', async () => {
    const trace: string[] = [];
    const part = (name: string, ms = 5) => async () => {
      trace.push(`${name} start`);
      await sleep(ms);
      trace.push(`${name} end`);
    };
    const plan = planShutdown({
      http: { server: {} as never, drain: { drain: part('http', 60), wrap: (h) => h, inFlight: 0, refused: 0 } },
      feeds: [{ stop: part('feed', 20) }],
      projectors: [{ schema: 'one', stop: part('projector one') }],
      gateway: { stop: part('gateway') },
      access: { close: part('access') },
      services: { close: part('services') },
    });
    await createShutdown(plan, { deadlineMs: 1000, logger: captureLogger().logger }).run('test');
    expect(trace).toEqual(['http start', 'feed start', 'feed end', 'projector one start', 'projector one end', 'http end', 'gateway start', 'gateway end', 'access start', 'access end', 'services start', 'services end']);
  });
});
