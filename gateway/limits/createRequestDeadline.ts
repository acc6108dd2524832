import { GraphQLError } from 'graphql';
import { GatewayErrorCode, HTTP_STATUS_OF } from '../errors/index.js';

/** One request's time budget, started when the request arrives. */
export interface RequestDeadline {
  /** Aborted when the deadline passes, with a `REQUEST_TIMEOUT` error as its reason: hand it to work that can stop early (pg query cancel, fetch). */
  readonly signal: AbortSignal;
  /** Milliseconds left, 0 once passed: for timeouts of nested calls (a statement_timeout, a cache wait). */
  remainingMs(): number;
  /**
   * `work`, or a `REQUEST_TIMEOUT` rejection naming `what` once the deadline passes, whichever
   * comes first. Rejects at once if the deadline has already passed. The work itself is not
   * cancelled (a promise cannot be): pass `signal` to it for that.
   */
  race<T>(work: Promise<T>, what: string): Promise<T>;
  /** Stops the timer; call when the request is answered so the timer does not outlive it. */
  clear(): void;
}

/** 504 `REQUEST_TIMEOUT`, a GraphQLError so Apollo and the HTTP layer can both answer it as is. */
function requestTimeout(message: string, deadlineMs: number): GraphQLError {
  const code = GatewayErrorCode.RequestTimeout;
  return new GraphQLError(message, { extensions: { code, deadlineMs, http: { status: HTTP_STATUS_OF[code] } } });
}

/**
 * A deadline `ms` from now, for the HTTP layer to apply per request: a request that cannot finish
 * in time is answered with a clear 504 instead of holding a connection and a database session
 * for as long as the client cares to wait.
 */
export function createRequestDeadline(ms: number): RequestDeadline {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`createRequestDeadline(${ms}): the deadline must be a positive number of milliseconds.`);
  const expiresAt = performance.now() + ms;
  // The AbortController is made when `signal` is first read: most requests only race, and an
  // AbortController with its EventTarget per request was a visible share of a page's CPU.
  let controller: AbortController | null = null;
  let expired: GraphQLError | null = null;
  const racing = new Set<() => void>();
  const timer = setTimeout(() => {
    expired = requestTimeout(`The request did not finish within its ${ms} ms deadline.`, ms);
    controller?.abort(expired);
    for (const onExpiry of racing) onExpiry();
    racing.clear();
  }, ms);
  timer.unref();
  return {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (expired) controller.abort(expired);
      }
      return controller.signal;
    },
    remainingMs: () => Math.max(0, Math.ceil(expiresAt - performance.now())),
    race<T>(work: Promise<T>, what: string): Promise<T> {
      const timedOut = () => requestTimeout(`${what} did not finish within the ${ms} ms request deadline.`, ms);
      if (expired) {
        work.catch(() => undefined); // its outcome no longer matters; its failure must not go unhandled
        return Promise.reject(timedOut());
      }
      return new Promise<T>((resolve, reject) => {
        const onExpiry = () => reject(timedOut());
        racing.add(onExpiry);
        work.then(
          (value) => {
            racing.delete(onExpiry);
            resolve(value);
          },
          (error: unknown) => {
            racing.delete(onExpiry);
            reject(error);
          },
        );
      });
    },
    clear: () => clearTimeout(timer),
  };
}
