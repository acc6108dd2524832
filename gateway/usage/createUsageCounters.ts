import { LRUCache } from 'lru-cache';
import type { Cache } from '../../platform/cache/index.js';

/** How far back usage looks, in UTC dates ending today: the window `check` and the catalog read. */
export const USAGE_WINDOW_DAYS = 30;
/** The one name every client that cannot be named is counted under. */
export const UNIDENTIFIED_CLIENT = 'unidentified';

/**
 * How a client was recognised. PRINCIPAL: the authenticated caller (no client header, or one
 * naming itself). CONSUMER: a client header naming one of the contract's declared consumers.
 * UNIDENTIFIED: any other header, an over-long name, or a principal past the contract's cap.
 */
export type UsageClientKind = 'PRINCIPAL' | 'CONSUMER' | 'UNIDENTIFIED';

/** The contract version a use is counted for: a `ContractMeta` is one. */
export interface UsageContract {
  name: string;
  version: number;
  /** Declared consumers (`@contract(consumers:)`): client names counted by name. */
  consumers: readonly string[];
}

/** One request, as the counters see it. */
export interface UsageRecord {
  contract: UsageContract;
  /** The authenticated principal's name. */
  principalName: string;
  /** The `apollographql-client-name` header, if any: a claim, believed only for declared consumers and the caller's own name. */
  clientName: string | null;
  /** Fields the executed operation selected (`@skip`/`@include` applied). */
  coordinates: readonly string[];
}

/** Uses by one client (or by all: see `totalUsage`) over the rolling window. */
export interface ClientUsage {
  client: string;
  kind: UsageClientKind | 'ALL';
  /** The current UTC date. */
  today: number;
  /** The 7 UTC dates ending today. */
  last7Days: number;
  /** The 30 UTC dates ending today (USAGE_WINDOW_DAYS). */
  last30Days: number;
  /** Last use, ISO; kept for `lastSeenRetentionDays` after it, so it can be older than the window. */
  lastSeenAt: string | null;
  /** One entry per date of the window, oldest first, zero-filled. */
  daily: Array<{ date: string; count: number }>;
}

/** One read of a contract version's counters: requests per client, and uses per field and client. */
export interface UsageSnapshot {
  /** Requests per client (each counted once, whatever it selected), busiest first. */
  requests(): ClientUsage[];
  /** Uses of one field per client, busiest first; a client not seen in the window but within lastSeenRetentionDays is listed with zero counts. */
  field(coordinate: string): ClientUsage[];
}

export interface UsageCounters {
  /** Counts one request and one use of each coordinate for the client it identifies. Rejects when the cache does. */
  record(use: UsageRecord): Promise<void>;
  /** Reads every counter of a contract version at once (USAGE_WINDOW_DAYS + 1 hash reads). */
  read(contract: UsageContract): Promise<UsageSnapshot>;
  /** How a client name of `contract` is recognised (the kind a snapshot reports). */
  kindOf(contract: UsageContract, client: string): UsageClientKind;
}

export interface UsageCountersOptions {
  /**
   * Principals counted by name per contract version; one more is counted as unidentified until
   * a named one has been idle for the whole window. Default 100. With the declared consumers and
   * `unidentified`, this bounds the series per field whatever clients send.
   */
  maxNamedPrincipals?: number;
  /** Longest client name counted by name; longer ones are unidentified. Default 100 (the longest principal name). */
  maxClientNameLength?: number;
  /** How long a last-seen time is kept after the last use. Default 365 days: "last seen" may predate the window. */
  lastSeenRetentionDays?: number;
  /** Clock. Default Date.now. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** How long a process trusts its own record of an admission: far below the idle time that evicts one. */
const ADMISSION_MEMO_MS = 60_000;
const REQUEST = '*';
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Usage counters in the cache, bounded whatever clients send. Per contract version, one hash per
 * UTC date (`usage:<name>:v<N>:<YYYY-MM-DD>`, fields `<coordinate>|<client>` and `*|<client>`
 * for requests) expiring when its date leaves the window, so the 30 days roll; one hash of last
 * seen times (`…:seen`); and the bounded set of principals counted by name (`…:principals`).
 * At most USAGE_WINDOW_DAYS + 2 keys per contract version, each hash at most
 * (fields + 1) × (declared consumers + maxNamedPrincipals + 1) entries.
 *
 * One request costs two commands (the day's increments, the last-seen times) whatever it
 * selects, and an admission of its principal at most once a minute per process.
 */
export function createUsageCounters(cache: Cache, options: UsageCountersOptions = {}): UsageCounters {
  const maxNamedPrincipals = options.maxNamedPrincipals ?? 100;
  const maxClientNameLength = options.maxClientNameLength ?? 100;
  const lastSeenTtlMs = (options.lastSeenRetentionDays ?? 365) * DAY_MS;
  const now = options.now ?? Date.now;
  const prefix = (c: UsageContract) => `usage:${c.name}:v${c.version}:`;
  // When each principal was last admitted, per process, so a busy caller pays an admission at
  // most once a minute (by `now`: the clock the admission itself is judged by).
  const admitted = new LRUCache<string, number>({ max: 10_000 });

  // Per selection (collectSelection gives one coordinates array per operation) and client: the
  // counter fields and their increments, made once rather than on every request.
  const entriesFor = new WeakMap<readonly string[], Map<string, { entries: readonly string[]; increments: Readonly<Record<string, number>> }>>();
  const entriesOf = (coordinates: readonly string[], client: string) => {
    let perClient = entriesFor.get(coordinates);
    if (!perClient) entriesFor.set(coordinates, (perClient = new Map()));
    let made = perClient.get(client);
    if (!made) {
      const entries = [REQUEST, ...new Set(coordinates)].map((coordinate) => `${coordinate}|${client}`);
      made = { entries, increments: Object.freeze(Object.fromEntries(entries.map((e) => [e, 1]))) };
      // Clients are bounded per contract (named principals, declared consumers, unidentified); a bound anyway.
      if (perClient.size >= 1000) perClient.clear();
      perClient.set(client, made);
    }
    return made;
  };
  // The date of the current UTC day, printed once per day.
  let day = { start: Number.NaN, date: '' };
  const dateOfDay = (start: number) => {
    if (day.start !== start) day = { start, date: dateOf(start) };
    return day.date;
  };

  const kindOf = (contract: UsageContract, client: string): UsageClientKind => (client === UNIDENTIFIED_CLIENT ? 'UNIDENTIFIED' : contract.consumers.includes(client) ? 'CONSUMER' : 'PRINCIPAL');

  const identify = async (use: UsageRecord, at: number): Promise<string> => {
    const claimed = use.clientName?.trim() || null;
    if (claimed !== null && use.contract.consumers.includes(claimed)) return claimed;
    if (claimed !== null && claimed !== use.principalName) return UNIDENTIFIED_CLIENT;
    const name = use.principalName;
    if (name.length === 0 || name.length > maxClientNameLength || name === UNIDENTIFIED_CLIENT) return UNIDENTIFIED_CLIENT;
    const memo = `${prefix(use.contract)}${name}`;
    if (at - (admitted.get(memo) ?? Number.NEGATIVE_INFINITY) < ADMISSION_MEMO_MS) return name;
    const admittedNow = await cache.admitToBoundedSet(`${prefix(use.contract)}principals`, name, {
      capacity: maxNamedPrincipals,
      now: at,
      evictBefore: at - USAGE_WINDOW_DAYS * DAY_MS,
      ttlMs: lastSeenTtlMs,
    });
    if (!admittedNow) return UNIDENTIFIED_CLIENT;
    admitted.set(memo, at);
    return name;
  };

  return {
    kindOf,
    async record(use) {
      const at = now();
      const client = await identify(use, at);
      const { entries, increments } = entriesOf(use.coordinates, client);
      const today = Math.floor(at / DAY_MS) * DAY_MS;
      // The bucket of date D expires at the start of D + 30: the last instant D is in the window.
      const bucketTtlMs = today + USAGE_WINDOW_DAYS * DAY_MS - at;
      const seenAt: Record<string, number> = {};
      for (const entry of entries) seenAt[entry] = at;
      await Promise.all([cache.hashIncrement(`${prefix(use.contract)}${dateOfDay(today)}`, increments, bucketTtlMs), cache.hashMax(`${prefix(use.contract)}seen`, seenAt, lastSeenTtlMs)]);
    },
    async read(contract) {
      const at = now();
      const dates = Array.from({ length: USAGE_WINDOW_DAYS }, (_, i) => dateOf(at - (USAGE_WINDOW_DAYS - 1 - i) * DAY_MS));
      const [seen, ...buckets] = await Promise.all([cache.hashGetAll(`${prefix(contract)}seen`), ...dates.map((d) => cache.hashGetAll(`${prefix(contract)}${d}`))]);
      // coordinate → client → counts per date of the window; a client last seen before the window is listed with zeros.
      const counts = new Map<string, Map<string, number[]>>();
      const seriesOf = (entry: string) => {
        const [coordinate, client] = splitEntry(entry);
        let perClient = counts.get(coordinate);
        if (!perClient) counts.set(coordinate, (perClient = new Map()));
        let series = perClient.get(client);
        if (!series) perClient.set(client, (series = new Array<number>(USAGE_WINDOW_DAYS).fill(0)));
        return series;
      };
      buckets.forEach((bucket, day) => {
        for (const [entry, value] of Object.entries(bucket)) seriesOf(entry)[day] = Number(value);
      });
      for (const entry of Object.keys(seen)) seriesOf(entry);
      const usageOf = (coordinate: string): ClientUsage[] =>
        [...(counts.get(coordinate) ?? [])]
          .map(([client, series]) => {
            const lastSeen = seen[`${coordinate}|${client}`];
            return { client, kind: kindOf(contract, client), ...windows(series, dates), lastSeenAt: lastSeen === undefined ? null : new Date(Number(lastSeen)).toISOString() };
          })
          .sort((a, b) => b.last30Days - a.last30Days || (b.lastSeenAt ?? '').localeCompare(a.lastSeenAt ?? '') || a.client.localeCompare(b.client));
      return { requests: () => usageOf(REQUEST), field: (coordinate) => usageOf(coordinate) };
    },
  };
}

/** The sum over every client: the `ALL` row of a field's or a contract's usage (empty input gives zeros). */
export function totalUsage(rows: readonly ClientUsage[], client = 'all clients'): ClientUsage {
  const daily = (rows[0]?.daily ?? []).map((d, i) => ({ date: d.date, count: rows.reduce((sum, r) => sum + (r.daily[i]?.count ?? 0), 0) }));
  const lastSeen = rows.map((r) => r.lastSeenAt).filter((x): x is string => x !== null).sort().at(-1) ?? null;
  return { client, kind: 'ALL', today: sum(rows, 'today'), last7Days: sum(rows, 'last7Days'), last30Days: sum(rows, 'last30Days'), lastSeenAt: lastSeen, daily };
}

function sum(rows: readonly ClientUsage[], key: 'today' | 'last7Days' | 'last30Days'): number {
  return rows.reduce((total, r) => total + r[key], 0);
}

function windows(series: readonly number[], dates: readonly string[]): Pick<ClientUsage, 'today' | 'last7Days' | 'last30Days' | 'daily'> {
  const last = (n: number) => series.slice(-n).reduce((a, b) => a + b, 0);
  return { today: last(1), last7Days: last(7), last30Days: last(USAGE_WINDOW_DAYS), daily: dates.map((date, i) => ({ date, count: series[i] ?? 0 })) };
}

/** `<coordinate>|<client>`: coordinates never hold `|`, so the first one separates them. */
function splitEntry(entry: string): [coordinate: string, client: string] {
  const at = entry.indexOf('|');
  return [entry.slice(0, at), entry.slice(at + 1)];
}
