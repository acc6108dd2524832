import { useEffect, useRef } from 'preact/hooks';
import { viewerOperation } from './catalogQueries.js';
import { ContractPage } from './ContractPage.js';
import { DeprecationsPage } from './DeprecationsPage.js';
import { FieldPage } from './FieldPage.js';
import { FlowsPage } from './FlowsPage.js';
import { LineagePage } from './LineagePage.js';
import type { Route } from './route.js';
import { hrefOf } from './route.js';
import { SearchPage } from './SearchPage.js';
import { useCatalogQuery } from './useCatalogQuery.js';
import { useHashRoute } from './useHashRoute.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'search':
      return <SearchPage route={route} />;
    case 'contract':
      return <ContractPage key={`${route.name}/${route.version}`} name={route.name} version={route.version} />;
    case 'field':
      return <FieldPage key={`${route.name}/${route.version}/${route.coordinate}`} name={route.name} version={route.version} coordinate={route.coordinate} />;
    case 'lineage':
      return <LineagePage key={route.node} node={route.node} />;
    case 'deprecations':
      return <DeprecationsPage />;
    case 'flows':
      return <FlowsPage />;
    case 'not-found':
      return (
        <>
          <h1 tabIndex={-1}>No such page</h1>
          <p>
            Nothing lives at <code>{route.hash}</code>. <a href="#/">Search the catalog</a>.
          </p>
        </>
      );
  }
}

/** The catalog for stewards: header and navigation, and the page the address names. */
export function App() {
  const route = useHashRoute();
  const viewer = useCatalogQuery(viewerOperation, {});
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After navigating, keyboard and screen-reader users start at the new page, not at the link they left.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [hrefOf(route)]);
  const me = viewer.state === 'done' ? viewer.data.viewer : null;
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Data Product Catalog
        </a>
        <nav aria-label="Catalog">
          <ul>
            <li>
              <a href="#/" aria-current={current('search')}>
                Search
              </a>
            </li>
            <li>
              <a href="#/deprecations" aria-current={current('deprecations')}>
                Deprecations
              </a>
            </li>
            {me?.audience === 'INTERNAL' ? (
              <li>
                <a href="#/flows" aria-current={current('flows')}>
                  Flow now
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
        {me ? (
          <form class="signed-in" method="post" action="/catalog/sign-out">
            Signed in as <strong data-principal={me.name}>{me.name}</strong> <small>({me.audience.toLowerCase()})</small> <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}
