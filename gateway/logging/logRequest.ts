import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../platform/logging/index.js';
import type { RequestOutcome } from '../errors/index.js';

/**
 * Routes asked by machines on a schedule (probes every few seconds, scrapes): their lines go at
 * debug, or they would outnumber the requests anyone reads the log for.
 */
const ROUTINE_ROUTES = new Set(['/health', '/ready', '/metrics']);

/**
 * Writes one line when the response closes: method, route label (never the raw URL, whose query
 * string may carry a GraphQL document and its variables), status, duration, principal (id and
 * name, never the credential), contract version, operation type, name and document hash, and the
 * error codes answered. The logger carries the correlation id. Nothing of the request body or of
 * the response data is written.
 */
export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, route: string, outcome: RequestOutcome): void {
  const started = performance.now();
  res.once('close', () => {
    const status = res.statusCode;
    const level = status >= 500 ? 'warn' : ROUTINE_ROUTES.has(route) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        method: req.method,
        route,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(outcome.principal ? { principalId: outcome.principal.id, principalName: outcome.principal.name } : {}),
        ...(outcome.contract ? { contract: `${outcome.contract.name}/v${outcome.contract.version}` } : {}),
        ...(outcome.operation ? { operation: outcome.operation } : {}),
        ...(outcome.operationName !== undefined ? { operationName: outcome.operationName } : {}),
        ...(outcome.documentHash ? { documentHash: outcome.documentHash } : {}),
        ...(outcome.errorCodes.length > 0 ? { errorCodes: [...new Set(outcome.errorCodes)] } : {}),
        // The client went away before the whole answer was written.
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request completed',
    );
  });
}
