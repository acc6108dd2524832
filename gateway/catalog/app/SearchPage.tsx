import { useEffect, useRef, useState } from 'preact/hooks';
import { searchOperation } from './catalogQueries.js';
import { Badge } from './Badge.js';
import type { SearchFacet, SearchQuery } from './generated/catalogOperations.js';
import type { Route, SearchFilters } from './route.js';
import { FACETS, hrefOf } from './route.js';
import { navigate } from './useHashRoute.js';
import { useCatalogQuery } from './useCatalogQuery.js';

/** Hits shown at once; the count says when there are more, so a steward narrows the search. */
const PAGE = 100;
/** Typing pauses this long before the search runs, so each keystroke is not a request. */
const TYPING_PAUSE_MS = 250;

type SearchRoute = Extract<Route, { page: 'search' }>;
type Result = SearchQuery['search'];

/** Search across contracts, fields, descriptions, owners and topics, narrowed by facets; the address holds the whole state. */
export function SearchPage({ route }: { route: SearchRoute }) {
  const [text, setText] = useState(route.text);
  // The words last written to the address from here: only words that come from elsewhere
  // (Back, a link) replace what is in the box, never a keystroke made since.
  const written = useRef(route.text);
  useEffect(() => {
    if (route.text !== written.current) setText((written.current = route.text));
  }, [route.text]);
  useEffect(() => {
    if (text === route.text) return;
    const timer = setTimeout(() => {
      written.current = text;
      navigate({ ...route, text }, { replace: true });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, route]);

  const filters = FACETS.flatMap(({ facet }) => (route.filters[facet]?.length ? [{ facet, values: [...route.filters[facet]!] }] : []));
  const query = useCatalogQuery(searchOperation, { text: route.text, filters, first: PAGE });
  const result = query.state === 'done' ? query.data.search : query.state === 'loading' ? (query.previous?.search ?? null) : null;

  const toggle = (facet: SearchFacet, value: string) => {
    const current = route.filters[facet] ?? [];
    const next: SearchFilters = { ...route.filters, [facet]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value] };
    // With the words in the box, typed or not yet sent.
    written.current = text;
    navigate({ ...route, text, filters: next });
  };

  return (
    <div class="search-page">
      <h1 tabIndex={-1}>Search the catalog</h1>
      <form
        role="search"
        class="search-box"
        onSubmit={(event) => {
          event.preventDefault();
          written.current = text;
          navigate({ ...route, text });
        }}
      >
        <label for="catalog-search">Search contracts, fields, descriptions, owners and topics</label>
        <input id="catalog-search" type="search" value={text} autoComplete="off" spellcheck={false} placeholder="a field, a word of a description, an owner, a topic" onInput={(event) => setText(event.currentTarget.value)} />
      </form>
      <div class="search-layout">
        <aside class="facets" aria-label="Filters">
          <h2>Filters</h2>
          {result ? <Facets facets={result.facets} onToggle={toggle} /> : null}
          {filters.length > 0 ? (
            <p>
              <a href={hrefOf({ page: 'search', text: route.text, filters: {} })}>Clear all filters</a>
            </p>
          ) : null}
        </aside>
        <section class="results" aria-labelledby="results-heading" aria-busy={query.state === 'loading'} data-state={query.state} data-text={route.text}>
          {query.state === 'failed' ? (
            <p class="failed" role="alert">
              Search failed: {query.message}
            </p>
          ) : null}
          {result ? <Results result={result} /> : <p role="status">Searching…</p>}
        </section>
      </div>
    </div>
  );
}

function Facets({ facets, onToggle }: { facets: Result['facets']; onToggle: (facet: SearchFacet, value: string) => void }) {
  return (
    <>
      {FACETS.map(({ facet, label }) => {
        const values = facets.find((f) => f.facet === facet)?.values ?? [];
        return (
          <fieldset key={facet} class="facet" data-facet={facet}>
            <legend>{label}</legend>
            {values.length === 0 ? <p class="muted">none</p> : null}
            {values.map((v) => (
              <label key={v.value} class={v.count === 0 && !v.selected ? 'empty' : undefined}>
                <input type="checkbox" name={facet} value={v.value} checked={v.selected} onChange={() => onToggle(facet, v.value)} /> {v.value} <span class="count">{v.count}</span>
              </label>
            ))}
          </fieldset>
        );
      })}
    </>
  );
}

function Results({ result }: { result: Result }) {
  const contracts = result.hits.filter((h) => h.field === null);
  const fields = result.hits.filter((h) => h.field !== null);
  return (
    <>
      <div aria-live="polite">
        <h2 id="results-heading" data-total={result.total} data-contracts={result.contracts} data-fields={result.fields}>
          {result.total === 0 ? 'Nothing found' : `${result.contracts} contract version${result.contracts === 1 ? '' : 's'}, ${result.fields} field${result.fields === 1 ? '' : 's'}`}
        </h2>
      </div>
      {result.hits.length < result.total ? (
        <p class="muted">
          Showing the first {result.hits.length} of {result.total}: add words or filters to narrow the search.
        </p>
      ) : null}
      {contracts.length > 0 ? (
        <>
          <h3>Contract versions</h3>
          <ul class="hits" aria-label="Contract versions found">
            {contracts.map(({ contract, matchedOn }) => (
              <li key={`${contract.name}/v${contract.version}`} data-hit="contract" data-contract={`${contract.name}/v${contract.version}`}>
                <a href={hrefOf({ page: 'contract', name: contract.name, version: contract.version })}>
                  {contract.name} v{contract.version}
                </a>{' '}
                <Badge tone={contract.status}>{contract.status}</Badge> <Badge tone={contract.audience}>{contract.audience}</Badge> <Badge tone="tier">{contract.tier}</Badge>
                <p>{contract.description}</p>
                <small>
                  Owner {contract.owner}
                  {matchedOn.length > 0 ? ` · found in ${matchedOn.join(', ')}` : ''}
                </small>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {fields.length > 0 ? (
        <>
          <h3>Fields</h3>
          <ul class="hits" aria-label="Fields found">
            {fields.map(({ contract, field, matchedOn }) => (
              <li key={`${contract.name}/v${contract.version}:${field!.coordinate}`} data-hit="field" data-contract={`${contract.name}/v${contract.version}`} data-coordinate={field!.coordinate}>
                <a href={hrefOf({ page: 'field', name: contract.name, version: contract.version, coordinate: field!.coordinate })}>{field!.coordinate}</a> <code>{field!.type}</code> <Badge tone={field!.classification}>{field!.classification}</Badge>
                {field!.deprecation ? <Badge tone="deprecated">sunset {field!.deprecation.sunset}</Badge> : null}
                <small>
                  {' '}
                  in{' '}
                  <a href={hrefOf({ page: 'contract', name: contract.name, version: contract.version })}>
                    {contract.name} v{contract.version}
                  </a>
                  {matchedOn.length > 0 ? ` · found in ${matchedOn.join(', ')}` : ''}
                </small>
                {field!.description ? <p>{field!.description}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
