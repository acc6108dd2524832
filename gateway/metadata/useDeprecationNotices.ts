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
  // Per selection (collectSelection gives one coordinates array per operation): made once; null when nothing selected is deprecated.
  const made = new WeakMap<readonly string[], { notices: readonly object[]; deprecation: string; sunset: string } | null>();
  const noticesFor = (coordinates: readonly string[]) => {
    const notices = coordinates.flatMap((coordinate) => {
      const deprecation = contract.fields.get(coordinate)?.deprecation;
      return deprecation ? [Object.freeze({ coordinate, ...deprecation })] : [];
    });
    if (notices.length === 0) return null;
    const deprecatedOn = Math.min(...notices.map((n) => toDate(n.deprecatedOn).getTime()));
    const sunset = Math.min(...notices.map((n) => toDate(n.sunset).getTime()));
    return { notices: Object.freeze(notices), deprecation: `@${Math.floor(deprecatedOn / 1000)}`, sunset: new Date(sunset).toUTCString() };
  };
  return onSelectedFields(contract, ({ coordinates }, requestContext) => {
    let found = made.get(coordinates);
    if (found === undefined) made.set(coordinates, (found = noticesFor(coordinates)));
    if (found === null) return;
    addExtension(requestContext, 'deprecations', found.notices);
    requestContext.response.http.headers.set('deprecation', found.deprecation);
    requestContext.response.http.headers.set('sunset', found.sunset);
  });
}
