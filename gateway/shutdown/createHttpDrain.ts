import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayErrorCode, sendGatewayError } from '../errors/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface HttpDrain {
  /** Counts the handler's requests in flight; once draining, answers new ones 503 SHUTTING_DOWN with `connection: close`. */
  wrap(handle: Handler): Handler;
  readonly inFlight: number;
  /** Requests refused since draining began (they arrived on connections opened before). */
  readonly refused: number;
  /**
   * Stops accepting connections, lets the requests in flight finish, and asks every keep-alive
   * client to go (`connection: close` on the answers still to be written; idle connections
   * closed). Resolves when the server has no connection left.
   */
  drain(server: Server): Promise<void>;
}

/**
 * Graceful HTTP draining for Node's http server. `server.close()` alone stops new connections
 * and closes idle ones, but a keep-alive connection with a request in flight stays open after
 * its answer, and a client may send the next request on it: that one must be refused in a way
 * that makes the client (or its load balancer) go elsewhere, and the connection must close.
 */
export function createHttpDrain(): HttpDrain {
  const open = new Set<ServerResponse>();
  let refused = 0;
  let draining: Server | null = null;

  const settle = (res: ServerResponse) => {
    open.delete(res);
    // A connection whose answer went out before draining began is idle now, and would be kept.
    draining?.closeIdleConnections();
  };

  return {
    wrap(handle) {
      return async (req, res) => {
        if (draining) {
          refused += 1;
          sendGatewayError(res, GatewayErrorCode.ShuttingDown, 'This gateway instance is shutting down; retry the request (another instance will answer).', { headers: { connection: 'close', 'retry-after': '1' } });
          return true;
        }
        open.add(res);
        res.once('close', () => settle(res));
        return handle(req, res);
      };
    },
    get inFlight() {
      return open.size;
    },
    get refused() {
      return refused;
    },
    drain(server) {
      draining = server;
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      server.closeIdleConnections();
      return closed;
    },
  };
}
