import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../../platform/eventLog/kafkaMock/mockKafkaBroker.py', import.meta.url));

export interface MockKafkaBroker {
  bootstrap: string;
  stop(): Promise<void>;
  /** Takes the broker down: its connections close and new ones are refused (an outage). Resolves once it is. */
  down(): Promise<void>;
  /** Brings it back, with its topics, records and committed offsets. Resolves once it is. */
  up(): Promise<void>;
  /**
   * Answers the next `count` requests of Kafka API `apiKey` with error `code` (e.g. 12, 30, 1:
   * one Heartbeat refused with GROUP_AUTHORIZATION_FAILED, an error clients do not retry).
   */
  fail(apiKey: number, code: number, count: number): Promise<void>;
}

/** Starts librdkafka's mock cluster (see mockKafkaBroker.py) and resolves with its bootstrap address. */
export function startMockKafkaBroker(topics: string[] = []): Promise<MockKafkaBroker> {
  const child = spawn('python3', [launcher, '--topics', topics.join(',')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`Mock Kafka broker did not start within 10 s. stderr: ${stderr}`)), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Mock Kafka broker exited with ${code}: ${stderr.trim()} (it needs python3 and librdkafka1: apt-get install -y librdkafka1)`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /BOOTSTRAP (\S+)/.exec(stdout);
      if (!match || started) return;
      started = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      let acknowledged = stdout.length;
      // Sends a command on stdin and waits for its acknowledgement line on stdout.
      const command = (name: 'down' | 'up' | 'fail', args: readonly number[] = []) =>
        new Promise<void>((done, fail) => {
          const ack = name.toUpperCase();
          const failed = setTimeout(() => fail(new Error(`Mock Kafka broker did not acknowledge "${name}" within 5 s. stderr: ${stderr}`)), 5_000);
          const onData = () => {
            const at = stdout.indexOf(`${ack}\n`, acknowledged);
            if (at < 0) return;
            acknowledged = at + ack.length + 1;
            clearTimeout(failed);
            child.stdout.off('data', onData);
            done();
          };
          child.stdout.on('data', onData);
          child.stdin.write(`${[name, ...args].join(' ')}\n`);
        });
      resolve({
        bootstrap: match[1]!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              done();
              return;
            }
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        down: () => command('down'),
        up: () => command('up'),
        fail: (apiKey, code, count) => command('fail', [apiKey, code, count]),
      });
    });
  });
}
