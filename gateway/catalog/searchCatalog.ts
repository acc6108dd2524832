import type { CompiledContract, ContractField } from '../contracts/index.js';

/** What results can be narrowed by. Contract-level facets apply to a field through its contract. */
export type SearchFacet = 'OWNER' | 'AUDIENCE' | 'TIER' | 'CLASSIFICATION' | 'PII' | 'DEPRECATED' | 'STATUS';
export const SEARCH_FACETS: readonly SearchFacet[] = ['OWNER', 'AUDIENCE', 'TIER', 'STATUS', 'CLASSIFICATION', 'PII', 'DEPRECATED'];

/** Where a term was found, named as the page shows it. */
export type SearchMatch = 'name' | 'description' | 'owner' | 'consumer' | 'coordinate' | 'topic' | 'source system';

export interface CatalogSearchQuery {
  /** Words, each of which must be found (case-insensitive, anywhere in a word). Empty: everything, for browsing by facet. */
  text: string;
  /** Per facet, the values wanted: one of them (OR) within a facet, every facet (AND) across facets. */
  filters: Partial<Record<SearchFacet, readonly string[]>>;
  /** Hits returned, contracts first; `total` counts them all. */
  first: number;
}

export interface CatalogSearchHit {
  contract: CompiledContract;
  /** Null for a contract hit. */
  field: ContractField | null;
  /** Where the words were found; empty when there were none. */
  matchedOn: SearchMatch[];
}

export interface FacetCount {
  value: string;
  /** Hits this value would give with the other facets' filters as they are (this facet's own filter left out). */
  count: number;
  selected: boolean;
}

export interface CatalogSearchResult {
  total: number;
  contracts: number;
  fields: number;
  hits: CatalogSearchHit[];
  facets: Array<{ facet: SearchFacet; values: FacetCount[] }>;
}

interface Item {
  contract: CompiledContract;
  field: ContractField | null;
  texts: ReadonlyArray<readonly [SearchMatch, string]>;
  facets: Readonly<Record<SearchFacet, readonly string[]>>;
}

const yesNo = (value: boolean) => [value ? 'yes' : 'no'];
const topicsOf = (fields: Iterable<ContractField>) => [...new Set([...fields].flatMap((f) => f.lineage.flatMap((l) => l.topics.map((t) => t.topic))))];
const systemsOf = (fields: Iterable<ContractField>) => [...new Set([...fields].flatMap((f) => f.lineage.flatMap((l) => l.topics.flatMap((t) => t.sourceSystems))))];

/** A contract and each of its fields as search items: their words and facet values. */
function itemsOf(contract: CompiledContract): Item[] {
  const { meta } = contract;
  const fields = [...contract.fields.values()];
  const contractLevel = { OWNER: [meta.owner], AUDIENCE: [meta.audience], TIER: [meta.tier], STATUS: [meta.status] };
  const deprecatedVersion = meta.status === 'DEPRECATED';
  const contractItem: Item = {
    contract,
    field: null,
    texts: [['name', `${meta.name} v${meta.version}`], ['description', meta.description], ['owner', meta.owner], ...meta.consumers.map((c) => ['consumer', c] as const), ...topicsOf(fields).map((t) => ['topic', t] as const), ...systemsOf(fields).map((s) => ['source system', s] as const)],
    facets: {
      ...contractLevel,
      CLASSIFICATION: [...new Set(fields.map((f) => f.classification))],
      PII: yesNo(fields.some((f) => f.classification === 'PII')),
      // A version is "deprecated" when it is, or when some of its fields are: either way, someone has to move.
      DEPRECATED: yesNo(deprecatedVersion || fields.some((f) => f.deprecation !== null)),
    },
  };
  const fieldItems = fields.map(
    (field): Item => ({
      contract,
      field,
      // A field is found by its own words and by the name and owner of its contract ("finance amount").
      texts: [['coordinate', field.coordinate], ['description', field.description ?? ''], ['name', `${meta.name} v${meta.version}`], ['owner', meta.owner], ...topicsOf([field]).map((t) => ['topic', t] as const), ...systemsOf([field]).map((s) => ['source system', s] as const)],
      facets: { ...contractLevel, CLASSIFICATION: [field.classification], PII: yesNo(field.classification === 'PII'), DEPRECATED: yesNo(deprecatedVersion || field.deprecation !== null) },
    }),
  );
  return [contractItem, ...fieldItems];
}

/** The words an item matched on, or null when a word is missing. */
function match(item: Item, terms: readonly string[]): SearchMatch[] | null {
  const found = new Set<SearchMatch>();
  for (const term of terms) {
    const where = item.texts.filter(([, text]) => text.toLowerCase().includes(term)).map(([kind]) => kind);
    if (where.length === 0) return null;
    for (const kind of where) found.add(kind);
  }
  return [...found];
}

const passes = (item: Item, filters: CatalogSearchQuery['filters'], except: SearchFacet | null) =>
  SEARCH_FACETS.every((facet) => facet === except || !filters[facet]?.length || item.facets[facet].some((value) => filters[facet]!.includes(value)));

/**
 * Search over the contracts given (the ones the caller may see, as it sees them): contract
 * versions and their fields, by name, coordinate, description, owner, consumer, topic and source
 * system, narrowed by facets. Facet counts are disjunctive, as in any faceted search: each
 * facet's counts leave out its own filter, so a steward sees what choosing another value gives.
 */
export function searchCatalog(contracts: readonly CompiledContract[], query: CatalogSearchQuery): CatalogSearchResult {
  const terms = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  const matched = contracts.flatMap(itemsOf).flatMap((item) => {
    const on = match(item, terms);
    return on ? [{ item, on }] : [];
  });
  const hits = matched.filter(({ item }) => passes(item, query.filters, null));
  const ordered = [...hits.filter((h) => h.item.field === null), ...hits.filter((h) => h.item.field !== null)];
  const facets = SEARCH_FACETS.map((facet) => {
    const counts = new Map<string, number>();
    for (const { item } of matched) for (const value of item.facets[facet]) counts.set(value, (counts.get(value) ?? 0) + (passes(item, query.filters, facet) ? 1 : 0));
    // A value chosen before stays listed (with 0) so it can be unchosen.
    for (const value of query.filters[facet] ?? []) if (!counts.has(value)) counts.set(value, 0);
    const values = [...counts].map(([value, count]) => ({ value, count, selected: query.filters[facet]?.includes(value) ?? false })).sort((a, b) => a.value.localeCompare(b.value));
    return { facet, values };
  });
  return {
    total: hits.length,
    contracts: hits.filter((h) => h.item.field === null).length,
    fields: hits.filter((h) => h.item.field !== null).length,
    hits: ordered.slice(0, query.first).map(({ item, on }) => ({ contract: item.contract, field: item.field, matchedOn: on })),
    facets,
  };
}
