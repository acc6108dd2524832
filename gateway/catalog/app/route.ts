import type { SearchFacet } from './generated/catalogOperations.js';

/** The facets in the order the page lists them, with their names in addresses (`#/?owner=...`). */
export const FACETS: ReadonlyArray<{ facet: SearchFacet; param: string; label: string }> = [
  { facet: 'OWNER', param: 'owner', label: 'Owner' },
  { facet: 'AUDIENCE', param: 'audience', label: 'Audience' },
  { facet: 'TIER', param: 'tier', label: 'Tier' },
  { facet: 'STATUS', param: 'status', label: 'Status' },
  { facet: 'CLASSIFICATION', param: 'classification', label: 'Classification' },
  { facet: 'PII', param: 'pii', label: 'PII' },
  { facet: 'DEPRECATED', param: 'deprecated', label: 'Deprecated' },
];

export type SearchFilters = Partial<Record<SearchFacet, readonly string[]>>;

/**
 * Every page of the app, addressed in the URL's fragment so each can be bookmarked, shared and
 * reached with Back, with no route on the server: the gateway serves one shell at `/catalog`.
 */
export type Route =
  | { page: 'search'; text: string; filters: SearchFilters }
  | { page: 'contract'; name: string; version: number }
  | { page: 'field'; name: string; version: number; coordinate: string }
  | { page: 'lineage'; node: string }
  | { page: 'deprecations' }
  | { page: 'flows' }
  | { page: 'not-found'; hash: string };

const segment = (value: string) => encodeURIComponent(value);

/** The fragment (`#/...`) of a route. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'search': {
      const params = new URLSearchParams();
      if (route.text) params.set('q', route.text);
      for (const { facet, param } of FACETS) for (const value of route.filters[facet] ?? []) params.append(param, value);
      const query = params.toString();
      return query ? `#/?${query}` : '#/';
    }
    case 'contract':
      return `#/contracts/${segment(route.name)}/v${route.version}`;
    case 'field':
      return `#/contracts/${segment(route.name)}/v${route.version}/fields/${segment(route.coordinate)}`;
    case 'lineage':
      return `#/lineage/${segment(route.node)}`;
    case 'deprecations':
      return '#/deprecations';
    case 'flows':
      return '#/flows';
    case 'not-found':
      return route.hash;
  }
}

/** The route a fragment names; `not-found` for one the app does not know. */
export function parseRoute(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const [path = '', query = ''] = raw.split('?', 2) as [string?, string?];
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts.length === 0) {
    const params = new URLSearchParams(query);
    const filters: SearchFilters = {};
    for (const { facet, param } of FACETS) {
      const values = params.getAll(param);
      if (values.length > 0) filters[facet] = values;
    }
    return { page: 'search', text: params.get('q') ?? '', filters };
  }
  const version = (v: string | undefined) => (v && /^v\d+$/.test(v) ? Number(v.slice(1)) : null);
  if (parts[0] === 'contracts' && parts[1] && version(parts[2]) !== null) {
    if (parts.length === 3) return { page: 'contract', name: parts[1], version: version(parts[2])! };
    if (parts.length === 5 && parts[3] === 'fields' && parts[4]) return { page: 'field', name: parts[1], version: version(parts[2])!, coordinate: parts[4] };
  }
  if (parts[0] === 'lineage' && parts.length === 2 && parts[1]) return { page: 'lineage', node: parts[1] };
  if (parts.length === 1 && parts[0] === 'deprecations') return { page: 'deprecations' };
  if (parts.length === 1 && parts[0] === 'flows') return { page: 'flows' };
  return { page: 'not-found', hash: `#${raw}` };
}
