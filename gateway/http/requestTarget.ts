/** A request target of plain path segments only: WHATWG URL parsing gives it back unchanged, with no search. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)*\/?$/;

/**
 * The pathname and search of a request target, as `new URL(target, 'http://localhost')` gives
 * them. Every request needs them; a plain path (every contract route) skips the URL parser, which
 * would only hand it back.
 */
export function requestTarget(target: string | undefined): { pathname: string; search: string } {
  const raw = target ?? '/';
  if (PLAIN_PATH.test(raw)) return { pathname: raw, search: '' };
  const url = new URL(raw, 'http://localhost');
  return { pathname: url.pathname, search: url.search };
}
