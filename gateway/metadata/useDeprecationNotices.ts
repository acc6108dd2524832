import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Cache } from '../../platform/cache/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import { onSelectedFields } from './onSelectedFields.js';

const USAGE_WINDOW_MS = 30 * 24 * 3600 * 1000;
const toDate = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * When (and only when) a deprecated field is selected: `extensions.deprecations`, the HTTP
 * `Deprecation` header (RFC 9745: `@<epoch seconds>`, the earliest deprecation) and `Sunset`
 * (RFC 8594: HTTP-date, the earliest sunset). Each use is counted, so stewards see who still
 * depends on a field before it is removed.
 */
export function useDeprecationNotices(contract: CompiledContract, cache: Cache): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, async (coordinates, requestContext) => {
    const notices = coordinates.flatMap((coordinate) => {
      const deprecation = contract.fields.get(coordinate)?.deprecation;
      return deprecation ? [{ coordinate, ...deprecation }] : [];
    });
    if (notices.length === 0) return;
    addExtension(requestContext, 'deprecations', notices);
    const deprecatedOn = Math.min(...notices.map((n) => toDate(n.deprecatedOn).getTime()));
    const sunset = Math.min(...notices.map((n) => toDate(n.sunset).getTime()));
    requestContext.response.http.headers.set('deprecation', `@${Math.floor(deprecatedOn / 1000)}`);
    requestContext.response.http.headers.set('sunset', new Date(sunset).toUTCString());
    const client = requestContext.request.http?.headers.get('apollographql-client-name') ?? 'unknown';
    // Counted per client and in total (`*`): a cache cannot list its keys, so totals are kept apart.
    const keys = notices.flatMap((n) => [client, '*'].map((c) => `usage:${contract.meta.name}:v${contract.meta.version}:${n.coordinate}:${c}`));
    await Promise.all(keys.map((key) => cache.increment(key, USAGE_WINDOW_MS))).catch(() => undefined);
  });
}
