import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { addExtension } from './addExtension.js';
import type { FreshnessReader } from './createFreshnessReader.js';
import type { FreshnessStatus } from './Freshness.js';
import { onSelectedFields } from './onSelectedFields.js';

/** `extensions.freshness`: for each projection behind the selected fields, how fresh it is against the contract's SLA. */
export function useFreshness(contract: CompiledContract, reader: FreshnessReader): ApolloServerPlugin<BaseContext> {
  // Per selection (collectSelection gives the same coordinates array for the same operation): grouped once, not per response.
  const grouped = new WeakMap<readonly string[], Array<[projection: string, fields: readonly string[]]>>();
  return onSelectedFields(contract, async ({ coordinates }, requestContext) => {
    // The request's own watermark read: a response cache that checked versions used the same one.
    const pinned = reader.forRequest(requestContext.contextValue);
    let byProjection = grouped.get(coordinates);
    if (!byProjection) grouped.set(coordinates, (byProjection = groupByProjection(contract, coordinates)));
    // Per topic detail (`sources`) and the measuring instant stay in the catalog: a response carries the verdict and its two ages.
    const freshness = await Promise.all(
      byProjection.map(async ([projection, fields]) => {
        const { sources: _sources, measuredAt: _measuredAt, ...judged } = await pinned.read(projection, contract.meta);
        return { ...judged, fields: [...fields] };
      }),
    );
    addExtension(requestContext, 'freshness', freshness);
    // One answer may read several contexts' projections: it is as fresh as the least fresh of them.
    addExtension(requestContext, 'freshnessStatus', worstFreshness(freshness.map((f) => f.status)));
  });
}

/** Worst first: UNKNOWN (nothing can be vouched for), then STALE (known to be behind its SLA), then FRESH. */
const SEVERITY: Readonly<Record<FreshnessStatus, number>> = { FRESH: 0, STALE: 1, UNKNOWN: 2 };

/** The response-level status: the worst of its projections' (FRESH when it read none). */
export function worstFreshness(statuses: readonly FreshnessStatus[]): FreshnessStatus {
  return statuses.reduce<FreshnessStatus>((worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst), 'FRESH');
}

/** The coordinates each projection serves, projections in first-seen order. */
function groupByProjection(contract: CompiledContract, coordinates: readonly string[]): Array<[projection: string, fields: readonly string[]]> {
  const byProjection = new Map<string, Set<string>>();
  for (const coordinate of coordinates) {
    for (const link of contract.fields.get(coordinate)?.lineage ?? []) byProjection.set(link.projection, (byProjection.get(link.projection) ?? new Set()).add(coordinate));
  }
  return [...byProjection].map(([projection, fields]) => [projection, [...fields]]);
}
