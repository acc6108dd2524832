import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { describeDependencyOutage } from './describeDependencyOutage.js';
import { GatewayErrorCode } from './GatewayErrorCode.js';
import { logUnexpected } from './logUnexpected.js';
import { currentRequestScope, noteErrorCode } from './requestScope.js';

/**
 * The one error formatter of every GraphQL endpoint. A dependency that is down (PostgreSQL, the
 * brokers, Redis) is DEPENDENCY_UNAVAILABLE, retriable, naming the dependency. Known errors (a
 * GraphQLError raised on purpose, or one with a code other than INTERNAL_SERVER_ERROR) keep their
 * message, code and path. Anything else is masked for the client and logged once with the
 * correlation id the client gets in `extensions.correlationId`: no SQL, stack or payload value
 * ever reaches a caller.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // A compiled executor wraps a resolver's exception in a GraphQLError: judge by the root cause.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  const code = formatted.extensions?.code;
  const known = original instanceof GraphQLError || (typeof code === 'string' && code !== GatewayErrorCode.InternalServerError);
  const correlationId = currentRequestScope()?.correlationId;
  // A dependency down is neither the client's fault nor a bug: say which, and that retrying helps.
  const outage = describeDependencyOutage(original);
  if (outage) {
    noteErrorCode(GatewayErrorCode.DependencyUnavailable);
    return {
      message: outage.message,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: GatewayErrorCode.DependencyUnavailable, dependency: outage.dependency, retriable: true, ...(correlationId ? { correlationId } : {}) },
    };
  }
  if (known) {
    noteErrorCode(typeof code === 'string' ? code : GatewayErrorCode.InternalServerError);
    const { http: _http, stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, ...(correlationId ? { correlationId } : {}) } };
  }
  const logged = logUnexpected(formatted.path ? `resolver ${formatted.path.join('.')}` : 'GraphQL request', original);
  noteErrorCode(GatewayErrorCode.InternalServerError);
  return {
    message: `Internal server error. Quote correlation id ${logged} when reporting it.`,
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: GatewayErrorCode.InternalServerError, correlationId: logged },
  };
}
