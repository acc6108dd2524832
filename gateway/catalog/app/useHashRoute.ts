import { useEffect, useState } from 'preact/hooks';
import type { Route } from './route.js';
import { hrefOf, parseRoute } from './route.js';

/** The route in the address bar, following Back, Forward and links. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}

/** Goes to a route: a new history entry, or (`replace`) the current one, as typing in the search box does. */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (options.replace) {
    window.history.replaceState(null, '', href);
    // replaceState fires no hashchange: say it, so the page follows.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href;
  }
}
