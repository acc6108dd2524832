import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../http/listen.js';
import { createHttpDrain } from './createHttpDrain.js';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/** A request over a given agent (keep-alive: the same socket for every request). */
function get(url: string, agent: Agent, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createHttpDrain over real HTTP', () => {
  it('finishes requests in flight, refuses new ones on open connections with 503 and connection: close, and closes every connection', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/slow') {
        arrived();
        await released;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`done ${req.url}`);
      return true;
    };
    const drain = createHttpDrain();
    const { server, url } = await listen(drain.wrap(handle), '127.0.0.1', 0);
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A keep-alive connection that has answered once and now sits idle, and one with a request in flight.
      expect((await get(url, idleAgent, '/fast')).status).toBe(200);
      const slow = get(url, busyAgent, '/slow');
      await slowArrived;
      expect(drain.inFlight).toBe(1);

      let drained = false;
      const draining = drain.drain(server).then(() => (drained = true));
      // New connections are no longer accepted.
      await expect(get(url, new Agent({ keepAlive: false }), '/new')).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
      await new Promise((r) => setTimeout(r, 100));
      expect(drained).toBe(false);

      release();
      // The request in flight gets its whole answer, and is told the connection closes.
      expect(await slow).toEqual({ status: 200, connection: 'close', body: 'done /slow' });
      await draining;
      expect(drained).toBe(true);
      expect(drain.inFlight).toBe(0);
    } finally {
      idleAgent.destroy();
      busyAgent.destroy();
      server.close();
    }
  });

  it('answers a request that arrives on a kept-alive connection during the drain with 503 SHUTTING_DOWN and closes it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/stream') {
        // Its headers (keep-alive) are out before the drain begins; its end comes after.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('part;');
        await released;
      }
      res.end('end');
      return true;
    };
    const drain = createHttpDrain();
    const { server, url } = await listen(drain.wrap(handle), '127.0.0.1', 0);
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    const gotPart = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes('part;')) resolve();
      }),
    );
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
      await gotPart;
      const draining = drain.drain(server);
      // The client's next request on the same connection, sent while the drain runs.
      socket.write('GET /late HTTP/1.1\r\nhost: x\r\n\r\n');
      await new Promise((r) => setTimeout(r, 50));
      release();
      await closed;
      await draining;
      const answers = received.split(/(?=HTTP\/1\.1 )/);
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(answers[1]).toMatch(/connection: close/i);
      expect(answers[1]).toContain('SHUTTING_DOWN');
      expect(drain.refused).toBe(1);
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
