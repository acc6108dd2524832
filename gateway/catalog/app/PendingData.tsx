import type { ComponentChildren } from 'preact';

/**
 * A place kept for metadata the catalog does not record yet: says what will appear here and
 * why it is not here now, so a steward never mistakes a missing series for "nothing happened".
 * `data-pending` names the data, for whoever wires it in.
 */
export function PendingData({ what, children }: { what: string; children: ComponentChildren }) {
  return (
    <aside class="pending" data-pending={what} aria-label={`Not recorded yet: ${what}`}>
      <strong>Not recorded yet.</strong> {children}
    </aside>
  );
}
