import { formatDuration } from './formatDuration.js';

/** One client's uses (or all clients': kind ALL) over the rolling windows of UTC dates, as the catalog API counts them. */
export interface UsageWindows {
  client: string;
  kind: string;
  today: number;
  last7Days: number;
  last30Days: number;
  lastSeenAt: string | null;
}

/** A field's rows in the API's order: "all clients" first, then clients busiest first. */
export interface FieldUsageGroup {
  coordinate: string;
  deprecated: boolean;
  rows: readonly UsageWindows[];
}

const KIND_LABELS: Record<string, string> = { ALL: 'total', PRINCIPAL: 'principal', CONSUMER: 'declared consumer', UNIDENTIFIED: 'unidentified' };
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind.toLowerCase();

/** A last-seen time: how long ago, with the instant in `datetime` (and as a tooltip). */
export function LastSeen({ at, now }: { at: string | null; now: number }) {
  if (at === null) return <span class="muted">never</span>;
  return (
    <time dateTime={at} title={at}>
      {formatDuration(Math.max(0, now - Date.parse(at)))} ago
    </time>
  );
}

function WindowCells({ row, now }: { row: UsageWindows; now: number }) {
  return (
    <>
      <td data-kind={row.kind}>{kindLabel(row.kind)}</td>
      <td class="number" data-window="today">
        {row.today}
      </td>
      <td class="number" data-window="7d">
        {row.last7Days}
      </td>
      <td class="number" data-window="30d">
        {row.last30Days}
      </td>
      <td data-window="last-seen">
        <LastSeen at={row.lastSeenAt} now={now} />
      </td>
    </>
  );
}

const windowHeaders = (
  <>
    <th scope="col">Kind</th>
    <th scope="col" class="number">
      Today
    </th>
    <th scope="col" class="number">
      7 days
    </th>
    <th scope="col" class="number">
      30 days
    </th>
    <th scope="col">Last seen</th>
  </>
);

/** Requests to a contract version per client. */
export function RequestsTable({ rows, now }: { rows: readonly UsageWindows[]; now: number }) {
  if (rows.length === 0) return <p class="muted">No request in the last 30 days.</p>;
  return (
    <table class="usage" data-usage="requests">
      <caption>Requests per client (UTC dates; today is the current date)</caption>
      <thead>
        <tr>
          <th scope="col">Client</th>
          {windowHeaders}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.client} class={r.kind === 'ALL' ? 'total' : undefined} data-client={r.client} data-kind={r.kind}>
            <th scope="row">{r.client}</th>
            <WindowCells row={r} now={now} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Uses of each field per client: one group of rows per field, its total ("all clients") first.
 * A client is the authenticated principal, a declared consumer its client header names, or
 * "unidentified" for any other name: a header is a claim, believed only for declared consumers.
 */
export function FieldUsageTable({ groups, now }: { groups: readonly FieldUsageGroup[]; now: number }) {
  const used = groups.filter((g) => g.rows.length > 0);
  if (used.length === 0) return <p class="muted">No field used in the last 30 days.</p>;
  return (
    <table class="usage" data-usage="fields">
      <caption>Uses per field and client (UTC dates; today is the current date)</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Client</th>
          {windowHeaders}
        </tr>
      </thead>
      {used.map((g) => (
        <tbody key={g.coordinate} data-coordinate={g.coordinate}>
          {g.rows.map((r, i) => (
            <tr key={r.client} class={r.kind === 'ALL' ? 'total' : undefined} data-coordinate={g.coordinate} data-client={r.client} data-kind={r.kind}>
              {i === 0 ? (
                <th scope="rowgroup" rowSpan={g.rows.length}>
                  {g.coordinate}
                  {g.deprecated ? <small class="block">deprecated</small> : null}
                </th>
              ) : null}
              <th scope="row">{r.client}</th>
              <WindowCells row={r} now={now} />
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
