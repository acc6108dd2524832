import type { CompiledContract, LineageLink } from '../contracts/index.js';
import type { Selection } from './collectSelection.js';

/** A field's lineage as served at one place in a response. */
export interface PathLineageLink extends LineageLink {
  /** The parent sources (`<subgraph>:Type.field`) whose lineage narrowed this link; empty when the field's own lineage stands whole. */
  via: string[];
}

/**
 * The lineage of a field as reached through its parent. A subgraph type shared by several
 * fields (`Money`) declares on each of its fields everything that can feed it anywhere: the union
 * (`Money.amount` ← a header's total_amount, a line's unit_price, a line's line_amount).
 * The parent field declares what feeds the value it returns (a `total` ← the header's
 * total_amount and currency). So, at one path:
 *
 * - when the parent's lineage (same projection) names some of the field's columns, the value is
 *   part of the parent's value and is fed by exactly those columns; its events are those of its
 *   own that the parent's events name (equal, or one a path prefix of the other, as
 *   `Placed.data.lines` and `Placed.data.lines.unitPrice`), or all its own when none
 *   is named; its topics are those yielding these events;
 * - otherwise the field is not fed through the parent's value (a row reached by key, a list of
 *   other rows, a value kept in a column of its own, as a line's currency in its header's row),
 *   and its own lineage stands.
 *
 * Applied from the root down, each parent already narrowed by its own parent.
 */
export function narrowLineage(link: LineageLink, parents: readonly LineageLink[]): PathLineageLink {
  const feeding = parents.filter((p) => p.projection === link.projection && p.columns.some((c) => link.columns.includes(c)));
  if (feeding.length === 0) return { ...link, via: [] };
  const parentColumns = new Set(feeding.flatMap((p) => p.columns));
  const parentEvents = feeding.flatMap((p) => p.events);
  const named = link.events.filter((event) => parentEvents.some((p) => event === p || event.startsWith(`${p}.`) || p.startsWith(`${event}.`)));
  const events = named.length > 0 ? named : link.events;
  const columns = link.columns.filter((c) => parentColumns.has(c));
  // The parent names all of it: nothing is narrowed, and nothing is said to be.
  if (columns.length === link.columns.length && events.length === link.events.length) return { ...link, via: [] };
  const types = new Set(events.map((e) => e.split('.')[0]!));
  const topics = link.topics.filter((t) => t.events.some((type) => types.has(type)));
  return { ...link, columns, events, topics: topics.length > 0 ? topics : link.topics, via: [...new Set(feeding.map((p) => `${p.subgraph}:${p.subgraphField}`))] };
}

/** Per response path of `selection`, each field selected there (a coordinate) with its lineage at that path. */
export function lineageAtPath(contract: CompiledContract, selection: Selection): Map<string, Array<{ field: string; links: PathLineageLink[] }>> {
  const byPath = new Map<string, Array<{ field: string; links: PathLineageLink[] }>>();
  // Parents come before their children in `selection.fields`, so a parent's path lineage is known when its children need it.
  for (const { path, coordinate, parentPath } of selection.fields) {
    const field = contract.fields.get(coordinate);
    if (!field) continue;
    const parents = parentPath === null ? [] : (byPath.get(parentPath) ?? []).flatMap((entry) => entry.links);
    const entries = byPath.get(path) ?? [];
    entries.push({ field: coordinate, links: field.lineage.map((link) => narrowLineage(link, parents)) });
    byPath.set(path, entries);
  }
  return byPath;
}
