import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import { onSelectedFields } from './onSelectedFields.js';

const toDate = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * When (and only when) a deprecated field is selected, and not skipped: `extensions.deprecations`,
 * the HTTP `Deprecation` header (RFC 9745: `@<epoch seconds>`, the earliest deprecation) and
 * `Sunset` (RFC 8594: HTTP-date, the earliest sunset). Who still uses it is counted by
 * useUsageCounting, for every field.
 */
export function useDeprecationNotices(contract: CompiledContract): ApolloServerPlugin<BaseContext> {
  return onSelectedFields(contract, ({ coordinates }, requestContext) => {
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
  });
}
