import type { Server } from 'node:http';
import type { HttpDrain } from './createHttpDrain.js';
import type { ShutdownPlan } from './createShutdown.js';

/** What a process may run; each part is optional but the services (a process that serves only or only projects). */
export interface ProcessParts {
  http?: { server: Server; drain: HttpDrain };
  /** Simulated producers (demo data). */
  feeds?: ReadonlyArray<{ stop(): Promise<void> }>;
  projectors?: ReadonlyArray<{ readonly schema: string; stop(): Promise<void> }>;
  /** The gateway's Apollo servers, export jobs and audit buffer. */
  gateway?: { stop(): Promise<void> };
  access?: { close(): Promise<void> };
  /** Cache, event log and database: closed last, once nothing uses them. */
  services: { close(): Promise<void> };
}

/**
 * The order a process stops in (DESIGN §12):
 * 1. at once, side by side: stop accepting and drain HTTP; stop the simulated producers, then each
 *    projector (its batch in flight commits or rolls back, then it leaves its consumer group).
 *    Side by side because a slow request must not eat the time a projector needs to finish.
 * 2. the gateway (Apollo servers, export jobs, the audit buffer flushed), once no request is in
 *    flight; 3. access (the audit log closed);
 * 4. the services (cache, event log, database pools), once nothing uses them.
 */
export function planShutdown(parts: ProcessParts): ShutdownPlan {
  let feedsStopped: Promise<unknown> | null = null;
  const stopFeeds = () => (feedsStopped ??= Promise.allSettled((parts.feeds ?? []).map((f) => f.stop())));
  return [
    [
      ...(parts.http ? [{ name: 'http (stop accepting, finish requests in flight)', run: () => parts.http!.drain.drain(parts.http!.server) }] : []),
      ...(parts.feeds?.length ? [{ name: 'simulator feeds', run: async () => void (await stopFeeds()) }] : []),
      ...(parts.projectors ?? []).map((projector) => ({
        name: `projector ${projector.schema} (finish the batch in flight, leave the group)`,
        run: async () => {
          await stopFeeds();
          await projector.stop();
        },
      })),
    ],
    parts.gateway ? [{ name: 'gateway (servers, export jobs, audit flush)', run: () => parts.gateway!.stop() }] : [],
    parts.access ? [{ name: 'access (audit log)', run: () => parts.access!.close() }] : [],
    [{ name: 'services (cache, event log, database)', run: () => parts.services.close() }],
  ].filter((phase) => phase.length > 0);
}
