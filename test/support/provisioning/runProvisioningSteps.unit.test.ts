import { describe, expect, it } from 'vitest';
import { formatCommand, ProvisioningError, runProvisioningSteps } from './index.js';

describe('runProvisioningSteps', () => {
  it('prints the line of each step that acted, nothing for the others', async () => {
    const lines: string[] = [];
    await runProvisioningSteps([[async () => 'installed a (apt-get install -y a)', async () => undefined], [async () => 'started b (b --daemon)']], (line) => lines.push(line));
    expect(lines.sort()).toEqual(['installed a (apt-get install -y a)', 'started b (b --daemon)']);
  });

  it('stops a sequence at its first failure, runs the others, and lists every problem in one error', async () => {
    const ran: string[] = [];
    const lines: string[] = [];
    const error: unknown = await runProvisioningSteps(
      [
        [
          async () => {
            throw new ProvisioningError('CANNOT_INSTALL', 'python3 is not installed', 'apt-get update && apt-get install -y python3');
          },
          async () => {
            ran.push('after the failure');
            return 'installed librdkafka1';
          },
        ],
        [async () => 'started Redis (redis-server)'],
        [
          async () => {
            throw new TypeError('a bug, not a missing service');
          },
        ],
      ],
      (line) => lines.push(line),
    ).catch((reason: unknown) => reason);

    expect(ran).toEqual([]);
    expect(lines).toEqual(['started Redis (redis-server)']);
    expect(error).toBeInstanceOf(ProvisioningError);
    const stopped = error as ProvisioningError;
    expect(stopped.code).toBe('SETUP_STOPPED');
    expect(stopped.problems.map((problem) => problem.code)).toEqual(['CANNOT_INSTALL', 'SETUP_STOPPED']);
    expect(stopped.message).toMatch(/^Test setup stopped before any test ran: 2 things the tests need are missing\.\n/);
    expect(stopped.message).toContain('  - [CANNOT_INSTALL] python3 is not installed\n      Run: apt-get update && apt-get install -y python3\n');
    expect(stopped.message).toContain('unexpected failure: TypeError: a bug, not a missing service');
  });
});

describe('formatCommand', () => {
  it('quotes only what a shell would split or expand, so the line can be pasted as is', () => {
    expect(formatCommand({ command: 'redis-server', args: ['--port', '6379', '--save', '', '--bind', '127.0.0.1'] })).toBe("redis-server --port 6379 --save '' --bind 127.0.0.1");
    expect(formatCommand({ command: 'sh', args: ['-c', "echo it's $HOME"] })).toBe(`sh -c 'echo it'\\''s $HOME'`);
    expect(formatCommand({ command: 'apt-get', args: ['install', '-y', 'librdkafka1'], env: { DEBIAN_FRONTEND: 'noninteractive' } })).toBe('apt-get install -y librdkafka1');
  });
});
