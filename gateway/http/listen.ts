import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';
import { sendJson } from './sendJson.js';

/** Serves `handle` on host:port (0 = any free port); unmatched routes get a JSON 404, crashes a masked 500 (logged on `logger`, default stderr). */
export async function listen(handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>, host: string, port: number, logger: Logger = defaultLogger()): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled) sendJson(res, 404, { errors: [{ message: `No route ${req.method} ${req.url}. GET / lists the endpoints.`, extensions: { code: 'NOT_FOUND' } }] });
      })
      .catch((error: unknown) => {
        logger.error({ err: error, method: req.method }, 'unexpected error escaped the request handler');
        const body = { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        if (res.headersSent) res.end();
        else sendJson(res, 500, body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use. Fix: set PORT to a free port, e.g. PORT=${port + 1} npm start`) : error));
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}
