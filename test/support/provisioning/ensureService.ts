import { ProvisioningError } from './ProvisioningError.js';
import { formatCommand, outputTail, runCommand } from './runCommand.js';
import type { CommandSpec } from './runCommand.js';

/** What one look at a service found. `unusable`: it answers, but refuses what the tests need. */
export type ServiceProbe = { state: 'up' } | { state: 'down'; reason: string } | { state: 'unusable'; reason: string };

export interface EnsureServiceOptions {
  /** How errors and the line name it, e.g. `PostgreSQL 15 on 127.0.0.1:5432`. */
  name: string;
  /** Looks once; never throws. */
  probe: () => Promise<ServiceProbe>;
  /**
   * Starts it when down. Undefined when it is not this machine's service to start (a TEST_*_URL
   * pointing elsewhere): then a down service stops the run instead.
   */
  start?: CommandSpec;
  /**
   * Why it is not ours to start and what to do, said when it does not answer, e.g. `TEST_REDIS_URL
   * points at it, not at this machine's Redis (127.0.0.1:6379); start it, or unset TEST_REDIS_URL`.
   */
  notOurs?: string;
  /** How long a started service has to answer. Default 30 000 ms: PostgreSQL replaying WAL after a hard stop takes seconds. */
  readyWithinMs?: number;
  /** Pause between probes while waiting. Default 200 ms. */
  pollEveryMs?: number;
}

/**
 * Makes sure a service answers, starting it when it is down and ours to start. Resolves with the
 * line saying it started it, or undefined when it was already up; throws a ProvisioningError
 * with the exact command to run when it cannot.
 */
export async function ensureService(options: EnsureServiceOptions): Promise<string | undefined> {
  const first = await options.probe();
  if (first.state === 'up') return undefined;
  if (first.state === 'unusable') throw new ProvisioningError('UNUSABLE', `${options.name} answers but refuses the tests: ${first.reason}`);
  if (!options.start) {
    throw new ProvisioningError(
      'UNREACHABLE',
      `${options.name} does not answer (${first.reason}), and the tests start only this machine's own services: ${options.notOurs ?? 'start it'}`,
    );
  }
  const command = formatCommand(options.start);
  const result = await runCommand(options.start, { timeoutMs: options.readyWithinMs ?? 30_000 });
  if (result.exitCode !== 0) {
    throw new ProvisioningError(
      'CANNOT_START',
      `${options.name} is down (${first.reason}), and starting it failed: exit ${result.exitCode ?? 'none'}: ${outputTail(result.output)}`,
      command,
    );
  }
  const last = await waitForProbe(options.probe, options.readyWithinMs ?? 30_000, options.pollEveryMs ?? 200);
  if (last.state === 'unusable') throw new ProvisioningError('UNUSABLE', `${options.name} started but refuses the tests: ${last.reason}`);
  if (last.state === 'down') {
    throw new ProvisioningError(
      'NOT_READY',
      `${options.name} was started but did not answer within ${options.readyWithinMs ?? 30_000} ms (${last.reason})`,
      command,
    );
  }
  return `started ${options.name} (${command})`;
}

async function waitForProbe(probe: () => Promise<ServiceProbe>, withinMs: number, everyMs: number): Promise<ServiceProbe> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const seen = await probe();
    if (seen.state !== 'down' || Date.now() + everyMs > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
