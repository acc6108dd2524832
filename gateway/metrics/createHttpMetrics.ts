import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { Counter, Histogram } from 'prom-client';
import type { RequestOutcome } from '../errors/index.js';

export interface HttpMetrics {
  /** Counts the request when its response closes, with what it turned out to be (`outcome`, filled in while it ran). */
  observe(res: ServerResponse, route: string, outcome: RequestOutcome): void;
}

/** Requests, their duration, and the error codes answered, per route (a bounded label: see createRouteLabeler). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter({ name: 'dpg_http_requests_total', help: 'HTTP requests answered, by route, GraphQL operation type (none for other requests) and status code.', labelNames: ['route', 'operation', 'status'], registers: [registry] });
  const durations = new Histogram({
    name: 'dpg_http_request_duration_seconds',
    help: 'Time from a request to the end of its response, by route and GraphQL operation type.',
    labelNames: ['route', 'operation'],
    // Up to the default request deadline (10 s); a page of a contract is milliseconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'dpg_graphql_operations_total',
    help: 'Requests to a contract version (contract is name/vN), by GraphQL operation type and outcome: ok (no error), error (answered with errors), rejected (never executed: an invalid document, 403, 429, ...).',
    labelNames: ['contract', 'operation', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({ name: 'dpg_graphql_errors_total', help: 'Errors answered in GraphQL responses, those refused before GraphQL ran (401, 403, 429, ...) included, by route and extensions.code.', labelNames: ['route', 'code'], registers: [registry] });
  return {
    observe(res, route, outcome) {
      const stop = durations.startTimer();
      res.once('close', () => {
        const operation = outcome.operation ?? 'none';
        stop({ route, operation });
        requests.inc({ route, operation, status: String(res.statusCode) });
        for (const code of outcome.errorCodes) errors.inc({ route, code });
        // The contract is noted once the principal is known: an unauthenticated request has none (see dpg_http_requests_total).
        if (outcome.contract) operations.inc({ contract: `${outcome.contract.name}/v${outcome.contract.version}`, operation, outcome: outcomeOf(outcome) });
      });
    },
  };
}

function outcomeOf(outcome: RequestOutcome): 'ok' | 'error' | 'rejected' {
  if (outcome.errorCodes.length === 0) return 'ok';
  return outcome.operation === null ? 'rejected' : 'error';
}
