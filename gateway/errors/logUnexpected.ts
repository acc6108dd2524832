import { defaultLogger } from '../../platform/logging/index.js';
import { currentRequestScope } from './requestScope.js';

/**
 * The one place an unexpected error is written to the server log: one line, with the correlation
 * id the client also receives (the request's logger carries it). The error's message and stack go
 * here, never to the client.
 */
export function logUnexpected(where: string, error: unknown): string {
  const scope = currentRequestScope();
  const correlationId = scope?.correlationId ?? 'none';
  (scope?.logger ?? defaultLogger().child({ correlationId })).error({ err: error, where }, `unexpected error in ${where}`);
  return correlationId;
}
