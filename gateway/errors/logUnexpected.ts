import { currentRequestScope } from './requestScope.js';

/**
 * The one place an unexpected error is written to the server log: one line, with the correlation
 * id the client also receives. The error's message and stack go here, never to the client.
 */
export function logUnexpected(where: string, error: unknown): string {
  const correlationId = currentRequestScope()?.correlationId ?? 'none';
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(JSON.stringify({ level: 'error', msg: `unexpected error in ${where}`, correlationId, error: detail }));
  return correlationId;
}
