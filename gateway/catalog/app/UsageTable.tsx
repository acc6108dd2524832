import { PendingData } from './PendingData.js';

/** One count of uses: a field, a client, over a window. New sources of usage (rolling windows, every field) map to these rows. */
export interface UsageRow {
  coordinate: string;
  client: string;
  count: number;
  window: string;
  deprecated: boolean;
}

/**
 * Who uses which field. `all clients` is the total; named clients are the contract's declared
 * consumers (a cache cannot list the names it has seen), so the total may exceed their sum.
 */
export function UsageTable({ rows }: { rows: readonly UsageRow[] }) {
  return (
    <>
      {rows.length === 0 ? (
        <p class="muted">No use of a deprecated field recorded in the last 30 days.</p>
      ) : (
        <table class="usage">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Client</th>
              <th scope="col">Uses</th>
              <th scope="col">Window</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.coordinate}:${r.client}`} data-coordinate={r.coordinate} data-client={r.client}>
                <th scope="row">
                  {r.coordinate}
                  {r.deprecated ? <small class="block">deprecated</small> : null}
                </th>
                <td>{r.client}</td>
                <td class="number">{r.count}</td>
                <td>{r.window}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PendingData what="usage-per-client">Uses are counted for deprecated fields only, over 30 days from a counter's first use. Every field's use per named client, over rolling windows, will be listed here when the gateway records it.</PendingData>
    </>
  );
}
