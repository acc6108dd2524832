import { describe, expect, it } from 'vitest';
import type { ChangeFeed, ChangePage } from './readChangePages.js';
import { readChangePages } from './readChangePages.js';

/**
 * A change feed in memory with the real feed's semantics: rows ordered by (change stamp, id), a
 * cursor is the last row's position, and a row that changes gets a new, higher stamp (it moves to
 * the end). Hooks let a test change rows at a chosen moment of the reading.
 */
function memoryFeed(count: number, pageSize: number, hooks: { beforePageEnd?: (since: string | null) => void } = {}) {
  let stamp = 1;
  const rows = new Map<string, number>(Array.from({ length: count }, (_, i) => [`r${String(i).padStart(3, '0')}`, stamp] as const));
  const calls = { pages: 0, pageEnds: 0 };
  const after = (since: string | null) => {
    const [s, id] = since === null ? [0, ''] : [Number(since.split('|')[0]), since.split('|')[1]!];
    return [...rows].sort(([a, x], [b, y]) => x - y || a.localeCompare(b)).filter(([i, x]) => x > s || (x === s && i > id));
  };
  const page = (since: string | null): ChangePage => {
    const rest = after(since);
    const nodes = rest.slice(0, pageSize);
    const last = nodes.at(-1);
    return { nodes: nodes.map(([id]) => ({ id })), endCursor: last ? `${last[1]}|${last[0]}` : since, hasMore: rest.length > pageSize };
  };
  const feed: Required<ChangeFeed> = {
    async fetchPage(since) {
      calls.pages++;
      return page(since);
    },
    async fetchPageEnd(since) {
      calls.pageEnds++;
      hooks.beforePageEnd?.(since);
      const { endCursor, hasMore } = page(since);
      return { endCursor, hasMore };
    },
  };
  return { feed, calls, change: (id: string) => rows.set(id, ++stamp) };
}

async function readAll(pages: AsyncIterable<ChangePage>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of pages) ids.push(...page.nodes.map((n) => (n as { id: string }).id));
  return ids;
}

describe('readChangePages', () => {
  it('reads the feed to its end in order, with or without reading ahead, and the same rows either way', async () => {
    const sequential = memoryFeed(95, 10);
    const expected = await readAll(readChangePages({ fetchPage: sequential.feed.fetchPage }, null));
    expect(expected).toHaveLength(95);
    expect(new Set(expected).size).toBe(95);
    for (const readAhead of [1, 2, 3, 7]) {
      const ahead = memoryFeed(95, 10);
      expect(await readAll(readChangePages(ahead.feed, null, { readAhead }))).toEqual(expected);
      // Ten pages: each read once, whatever the read-ahead (no page read twice when nothing changes).
      expect(ahead.calls.pages).toBe(10);
    }
  });

  it('starts after the cursor given, and an empty feed is one empty page', async () => {
    const { feed } = memoryFeed(30, 10);
    const all = await readAll(readChangePages(feed, null, { readAhead: 3 }));
    expect(await readAll(readChangePages(feed, `1|${all[14]}`, { readAhead: 3 }))).toEqual(all.slice(15));
    const pages: ChangePage[] = [];
    for await (const page of readChangePages(memoryFeed(0, 10).feed, 'x', { readAhead: 2 })) pages.push(page);
    expect(pages).toEqual([{ nodes: [], endCursor: 'x', hasMore: false }]);
  });

  it('drops the pages read ahead when a row moved after its page was read, so nothing is missed', async () => {
    // The scout asks where page 2 ends only after page 2 itself was read; a row of page 2 changing
    // in between makes the scout's cursor lie one row further than page 2 really ends. Trusting
    // it would skip the row after page 2: the reader must notice and resume from page 2's own end.
    let moved = false;
    const scenario = memoryFeed(40, 10, {
      beforePageEnd: (since) => {
        if (!moved && since === '1|r009') {
          moved = true;
          scenario.change('r012');
        }
      },
    });
    const ids = await readAll(readChangePages(scenario.feed, null, { readAhead: 3 }));
    expect(moved).toBe(true);
    // Every row once in its old place, and r012 once more at the end in its new state: nothing missed.
    expect(ids).toEqual([...Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(3, '0')}`), 'r012']);
  });

  it('stops between pages when aborted, and refuses a feed that does not move', async () => {
    const controller = new AbortController();
    const { feed } = memoryFeed(50, 10);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const page of readChangePages(feed, null, { signal: controller.signal, readAhead: 2 })) {
          seen.push(...page.nodes.map((n) => (n as { id: string }).id));
          controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(10);

    const stuck: ChangeFeed = { fetchPage: async (since) => ({ nodes: [{}], endCursor: since, hasMore: true }) };
    await expect(readAll(readChangePages(stuck, 'c1'))).rejects.toThrow(/did not move past "c1"/);
  });

  it('reports a failing page, and not a failing page it had read ahead and dropped', async () => {
    let pagesAsked = 0;
    const failing: ChangeFeed = {
      fetchPage: async (since) => {
        pagesAsked++;
        if (since === 'p2') throw new Error('page 3 failed');
        return { nodes: [{ id: since }], endCursor: since === null ? 'p1' : 'p2', hasMore: true };
      },
    };
    await expect(readAll(readChangePages(failing, null))).rejects.toThrow('page 3 failed');
    expect(pagesAsked).toBe(3);
    // The caller stops after the first page while the second is read ahead and fails: no unhandled rejection.
    const early: ChangeFeed = { fetchPage: async (since) => (since === null ? { nodes: [], endCursor: 'p1', hasMore: true } : Promise.reject(new Error('read ahead, never used'))) };
    for await (const page of readChangePages(early, null)) {
      expect(page.endCursor).toBe('p1');
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  });
});
