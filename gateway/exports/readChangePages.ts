/** One page of a contract's change feed, as the export document selects it. */
export interface ChangePage {
  nodes: unknown[];
  /** The nodes as JSON text, one per row, when the page was built by the database (then `nodes` is empty). */
  lines?: readonly string[];
  endCursor: string | null;
  hasMore: boolean;
}

/** Where a page of the feed ends, without its rows. */
export interface ChangePageEnd {
  endCursor: string | null;
  hasMore: boolean;
}

/** How a reader reaches the feed. */
export interface ChangeFeed {
  /** The page after `since` (null: from the beginning), rows included. */
  fetchPage(since: string | null): Promise<ChangePage>;
  /**
   * Where that page ends, without reading its rows through the view: much cheaper than
   * `fetchPage`, so the reader can learn the cursors of the pages ahead and read several at once.
   * Without it pages are read one after another (the next while the caller writes this one).
   */
  fetchPageEnd?(since: string | null): Promise<ChangePageEnd>;
}

export interface ReadChangePagesOptions {
  /** Stops the reading between pages. */
  signal?: AbortSignal;
  /**
   * Pages read at once (with `fetchPageEnd`). Default 1: the next page is read while the caller
   * writes this one. Memory holds this many pages plus the one the caller is writing.
   */
  readAhead?: number;
}

interface Slot {
  since: string | null;
  page: Promise<ChangePage>;
}

/**
 * The pages of a change feed from `since` to its current end (`hasMore: false`), in feed order.
 *
 * A page can only be asked for once the previous one's cursor is known, so a plain reader waits
 * for each page in turn. With `fetchPageEnd`, a scout walks the cursors ahead cheaply and the
 * pages at those cursors are read concurrently (`readAhead` at a time). The scout is speculation,
 * checked on every page: a page is used only if it starts exactly at the previous page's
 * `endCursor` (what a sequential reader would have asked for). If a row moved meanwhile (it
 * changed, so its place in the feed is now at the end), the scouted cursor differs, the pages
 * read ahead are dropped and reading resumes from the true cursor. The file is therefore the
 * same sequence of pages a one-at-a-time reader gets: the feed's no-miss, no-repeat guarantee
 * holds unchanged.
 */
export async function* readChangePages(feed: ChangeFeed, since: string | null, options: ReadChangePagesOptions = {}): AsyncGenerator<ChangePage> {
  const depth = feed.fetchPageEnd ? Math.max(1, options.readAhead ?? 1) : 1;
  let slots: Slot[] = [];
  /** Bumped whenever the pages ahead are dropped: a scout of an older generation stops. */
  let generation = 0;
  let wakeScout: (() => void) | null = null;
  const wake = () => {
    const resolve = wakeScout;
    wakeScout = null;
    resolve?.();
  };
  // A page read ahead and then dropped is never awaited: its failure is not an error of the export.
  const unawaited = (page: Promise<ChangePage>) => {
    void page.catch(() => undefined);
    return page;
  };

  const scout = async (from: string | null, mine: number) => {
    const fetchPageEnd = feed.fetchPageEnd!;
    let cursor = from;
    try {
      while (mine === generation) {
        if (slots.length >= depth) {
          await new Promise<void>((resolve) => (wakeScout = resolve));
          continue;
        }
        const end = await fetchPageEnd(cursor);
        if (mine !== generation || !end.hasMore || end.endCursor === null || end.endCursor === cursor) return;
        cursor = end.endCursor;
        slots.push({ since: cursor, page: unawaited(feed.fetchPage(cursor)) });
      }
    } catch {
      // A failed scout only ends the speculation; the pages themselves report their own failures.
    }
  };

  const restartAt = (from: string | null) => {
    generation++;
    wake();
    slots = [{ since: from, page: unawaited(feed.fetchPage(from)) }];
    if (depth > 1) void scout(from, generation);
  };

  restartAt(since);
  try {
    for (;;) {
      const head = slots[0]!;
      const page = await head.page;
      options.signal?.throwIfAborted();
      if (page.hasMore && (page.endCursor === null || page.endCursor === head.since)) {
        // A feed that says "more" without moving would be read forever.
        throw new Error(`the change feed reported more pages but its endCursor did not move past ${JSON.stringify(head.since)}`);
      }
      if (page.hasMore) {
        const next = slots[1];
        if (next && next.since === page.endCursor) {
          slots.shift();
          wake();
        } else restartAt(page.endCursor);
      }
      yield page;
      if (!page.hasMore) return;
    }
  } finally {
    generation++;
    wake();
    slots = [];
  }
}
