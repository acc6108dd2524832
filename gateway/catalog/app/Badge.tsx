import type { ComponentChildren } from 'preact';

/** A small label whose colour says its value (a status, a classification, a criticality). */
export function Badge({ tone, children }: { tone: string; children: ComponentChildren }) {
  return <span class={`badge badge-${tone.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}>{children}</span>;
}
