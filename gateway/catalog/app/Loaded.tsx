import type { ComponentChildren } from 'preact';
import type { QueryState } from './useCatalogQuery.js';

/** Renders a query's loading and failure states the same way on every page, and `render` once there is data. */
export function Loaded<TData>({ query, render }: { query: QueryState<TData>; render: (data: TData) => ComponentChildren }) {
  switch (query.state) {
    case 'loading':
      return (
        <p class="loading" role="status">
          Loading…
        </p>
      );
    case 'failed':
      return (
        <p class="failed" role="alert">
          Could not load this page: {query.message}
        </p>
      );
    case 'done':
      return <>{render(query.data)}</>;
  }
}
