/** One page of a contract's change feed, as the export document selects it. */
export interface ChangePage {
  nodes: unknown[];
  endCursor: string | null;
  hasMore: boolean;
}

/** Reads the page after `since` (null: from the beginning). */
export type FetchChangePage = (since: string | null) => Promise<ChangePage>;

/**
 * The pages of a change feed from `since` to its current end (`hasMore: false`). The next page is
 * requested as soon as this one's cursor is known, so the database reads it while the caller
 * serialises and compresses this one; memory holds at most those two pages, whatever the size of
 * the feed. `signal` stops the reading between pages.
 */
export async function* readChangePages(fetchPage: FetchChangePage, since: string | null, signal?: AbortSignal): AsyncGenerator<ChangePage> {
  let cursor = since;
  let next = fetchPage(cursor);
  try {
    for (;;) {
      const page = await next;
      signal?.throwIfAborted();
      if (page.hasMore && (page.endCursor === null || page.endCursor === cursor)) {
        // A feed that says "more" without moving would be read forever.
        throw new Error(`the change feed reported more pages but its endCursor did not move past ${JSON.stringify(cursor)}`);
      }
      if (page.hasMore) {
        cursor = page.endCursor;
        next = fetchPage(cursor);
      }
      yield page;
      if (!page.hasMore) return;
    }
  } finally {
    // When the caller stops early (its write failed), the page read ahead is dropped unawaited:
    // its own failure, if any, is not a second error to report.
    void next.catch(() => undefined);
  }
}
