import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../platform/logging/index.js';

/** What every log line and masked error of one request can name. */
export interface RequestScope {
  correlationId: string;
  /** What the request turned out to be, noted while it runs, for its metrics and log line. Absent outside an HTTP request. */
  outcome?: RequestOutcome;
  /** The request's logger: every line it writes carries the correlation id. Absent: the default logger. */
  logger?: Logger;
}

/** Filled in as a request runs: by the GraphQL layer and by every error answer. */
export interface RequestOutcome {
  /** The GraphQL operation type once resolved; null for other requests, or one refused before. */
  operation: 'query' | 'mutation' | 'subscription' | null;
  /** `extensions.code` of every error answered, as the client received it. */
  errorCodes: string[];
  /** Who asked, once authenticated: id and name only, never the credential. */
  principal?: { id: string; name: string };
  /** The contract version asked for, on a contract route. */
  contract?: { name: string; version: number };
  /** The GraphQL operation's name as the client named it (null: anonymous). */
  operationName?: string | null;
  /** A prefix of the SHA-256 of the operation document: which query it was, without its text or variables. */
  documentHash?: string;
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

/** Notes who is asking, for the request's log line. */
export function notePrincipal(principal: { id: string; name: string }): void {
  const outcome = storage.getStore()?.outcome;
  if (outcome) outcome.principal = { id: principal.id, name: principal.name };
}

/** Notes the contract version a request is for, for the request's log line. */
export function noteContract(contract: { name: string; version: number }): void {
  const outcome = storage.getStore()?.outcome;
  if (outcome) outcome.contract = { name: contract.name, version: contract.version };
}

/** Notes which GraphQL document and operation a request ran (name and hash, never the text). */
export function noteDocument(identity: { operationName?: string | null; documentHash?: string }): void {
  const outcome = storage.getStore()?.outcome;
  if (!outcome) return;
  if (identity.operationName !== undefined) outcome.operationName = identity.operationName;
  if (identity.documentHash !== undefined) outcome.documentHash = identity.documentHash;
}
