import type { CatalogOperation } from './catalogQueries.js';

/** Why a request to the catalog API gave no data. */
export type CatalogFailure =
  /** The session ended (signed out elsewhere, expired, principal revoked): the page must sign in again. */
  | { kind: 'signed-out' }
  /** The API answered with errors; `message` is the first one's, as the gateway phrased it for people. */
  | { kind: 'refused'; message: string; code: string | null }
  /** No answer (offline, gateway down) or not JSON. */
  | { kind: 'unreachable'; message: string };

export class CatalogRequestError extends Error {
  constructor(readonly failure: CatalogFailure) {
    super(failure.kind === 'signed-out' ? 'Signed out' : failure.message);
  }
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: { code?: string; correlationId?: string } }>;
}

/**
 * Runs an operation on the catalog API (`POST /catalog`) with the browser's session cookie,
 * which the gateway accepts on `/catalog` only. JSON bodies cannot be sent by another site's
 * form, and the cookie is SameSite=Strict: no CSRF token is needed.
 */
export async function requestCatalog<TData, TVariables>(operation: CatalogOperation<TData, TVariables>, variables: TVariables, signal?: AbortSignal): Promise<TData> {
  let response: Response;
  try {
    response = await fetch('/catalog', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: operation.source, variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new CatalogRequestError({ kind: 'unreachable', message: `The gateway did not answer (${error instanceof Error ? error.message : String(error)}).` });
  }
  if (response.status === 401) throw new CatalogRequestError({ kind: 'signed-out' });
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new CatalogRequestError({ kind: 'unreachable', message: `The gateway answered ${response.status} without JSON.` });
  }
  const first = body.errors?.[0];
  if (first || body.data === undefined || body.data === null) {
    const correlation = first?.extensions?.correlationId ? ` (correlation id ${first.extensions.correlationId})` : '';
    throw new CatalogRequestError({ kind: 'refused', message: `${first?.message ?? `The gateway answered ${response.status} without data.`}${correlation}`, code: first?.extensions?.code ?? null });
  }
  return body.data;
}
