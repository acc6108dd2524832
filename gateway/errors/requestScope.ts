import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What every log line and masked error of one request can name. */
export interface RequestScope {
  correlationId: string;
  /** What the request turned out to be, noted while it runs, for its metrics. Absent outside an HTTP request. */
  outcome?: RequestOutcome;
}

/** Filled in as a request runs: by the GraphQL layer and by every error answer. */
export interface RequestOutcome {
  /** The GraphQL operation type once resolved; null for other requests, or one refused before. */
  operation: 'query' | 'mutation' | 'subscription' | null;
  /** `extensions.code` of every error answered, as the client received it. */
  errorCodes: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The correlation id of a request: the client's `X-Correlation-Id` when it is a plain token (so a
 * caller can follow its own id through our logs), else a new UUID. Kept in async-local storage so
 * Apollo's `formatError`, which gets no context, can still name it.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers['x-correlation-id'];
  return typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
}

export function runInRequestScope<T>(scope: RequestScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Records an error code the client receives (a GraphQL error, or a gateway error answered before GraphQL). */
export function noteErrorCode(code: string): void {
  storage.getStore()?.outcome?.errorCodes.push(code);
}

export function noteOperation(operation: NonNullable<RequestOutcome['operation']>): void {
  const outcome = storage.getStore()?.outcome;
  if (outcome) outcome.operation = operation;
}
