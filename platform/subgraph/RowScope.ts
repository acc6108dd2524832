/**
 * Which rows a caller may read: per dimension, the values allowed (in the subgraph schema's
 * terms, e.g. `{ salesChannel: ['MARKETPLACE'] }`). A row is readable when, for every dimension
 * of the scope, its value is one of those listed; an empty list allows no row at all.
 */
export type RowScope = Readonly<Record<string, readonly string[]>>;

/** A dimension a subgraph version can restrict its reads by, and the values it accepts. */
export interface RowScopeDimension {
  /** What the dimension is, for the catalog and for error messages (name the schema field). */
  description: string;
  values: readonly string[];
}
