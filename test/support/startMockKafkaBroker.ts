import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../../platform/eventLog/kafkaMock/mockKafkaBroker.py', import.meta.url));

/** Starts librdkafka's mock cluster (see mockKafkaBroker.py) and resolves with its bootstrap address. */
export function startMockKafkaBroker(topics: string[] = []): Promise<{ bootstrap: string; stop: () => Promise<void> }> {
  const child = spawn('python3', [launcher, '--topics', topics.join(',')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`Mock Kafka broker did not start within 10 s. stderr: ${stderr}`)), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Mock Kafka broker exited with ${code}: ${stderr.trim()} (it needs python3 and librdkafka1: apt-get install -y librdkafka1)`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /BOOTSTRAP (\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        bootstrap: match[1]!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
