/**
 * Runs autocannon against one target in its own process (so the load generator does not share
 * the servers' event loop). Reads its job as JSON from argv, prints autocannon's result as JSON.
 * Each request gets different variables, drawn from the job's pool.
 */
import autocannon from 'autocannon';

interface Job {
  url: string;
  bodies: string[];
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
let next = 0;
const result = await autocannon({
  url: job.url,
  method: 'POST',
  connections: job.connections,
  duration: job.durationSeconds,
  headers: { 'content-type': 'application/json', ...job.headers },
  requests: [
    {
      setupRequest: (request) => ({ ...request, body: job.bodies[next++ % job.bodies.length]! }),
    },
  ],
});
process.stdout.write(JSON.stringify({ requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total }));
