import { GraphQLError } from 'graphql';
import { isDependencyUnavailable, PlatformErrorCode } from '../../platform/errors/index.js';
import type { PlatformError } from '../../platform/errors/index.js';

/** Which dependency an answer could not reach, as `extensions.dependency` names it. */
export type Dependency = 'database' | 'event-log' | 'cache';

export interface DependencyOutage {
  dependency: Dependency;
  /** For the client: which dependency, that nothing is wrong with the request, and what to do. No host, no SQL, no driver text. */
  message: string;
  /** Seconds a client should wait before retrying (`Retry-After`). */
  retryAfterSeconds: number;
}

const NAMES: Readonly<Record<Dependency, string>> = { database: 'The database', 'event-log': 'The event log', cache: 'The cache' };
const DEPENDENCY_OF: Partial<Record<PlatformError['code'], Dependency>> = {
  [PlatformErrorCode.DatabaseUnavailable]: 'database',
  [PlatformErrorCode.EventLogUnavailable]: 'event-log',
  [PlatformErrorCode.CacheUnavailable]: 'cache',
};

/**
 * The outage behind an error, when the error says a dependency is down (DATABASE_UNAVAILABLE,
 * EVENT_LOG_UNAVAILABLE or CACHE_UNAVAILABLE from an adapter, however deep a resolver or
 * DataLoader wrapped it); null for anything else. Such an error is the server's state, not
 * the request's fault or a bug: the client gets 503 DEPENDENCY_UNAVAILABLE and may retry.
 */
export function describeDependencyOutage(error: unknown): DependencyOutage | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const dependency = isDependencyUnavailable(current) ? DEPENDENCY_OF[current.code] : undefined;
    if (dependency) return { dependency, message: `${NAMES[dependency]} is unavailable right now; nothing is wrong with the request. Retry in a few seconds.`, retryAfterSeconds: 1 };
    current = current instanceof GraphQLError ? current.originalError : current instanceof Error ? current.cause : undefined;
  }
  return null;
}
