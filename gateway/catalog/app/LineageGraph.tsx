import { useMemo } from 'preact/hooks';
import type { LineageNodeKind } from './generated/catalogOperations.js';
import type { LineageGraphData, LineageNodeData } from './layoutLineage.js';
import { layoutLineage, shortened } from './layoutLineage.js';
import { hrefOf } from './route.js';

export const KIND_LABELS: Record<LineageNodeKind, string> = {
  SOURCE_SYSTEM: 'Source system',
  TOPIC: 'Topic',
  EVENT: 'Event field',
  PROJECTION_COLUMN: 'Projection column',
  SUBGRAPH_FIELD: 'Subgraph field',
  CONTRACT_FIELD: 'Contract field',
};
const KINDS = Object.keys(KIND_LABELS) as LineageNodeKind[];
const kindClass = (kind: LineageNodeKind) => `kind-${kind.toLowerCase().replaceAll('_', '-')}`;

/** A contract field opens its page; any other node opens what changing it touches. */
export const nodeHref = (node: LineageNodeData) =>
  node.contractField ? hrefOf({ page: 'field', name: node.contractField.contract, version: node.contractField.version, coordinate: node.contractField.coordinate }) : hrefOf({ page: 'lineage', node: node.id });

/**
 * A lineage graph, laid out by dagre and drawn as SVG: one box per node (a link, so it is
 * reached with Tab and opened with Enter), one arrow per edge. `focus` is highlighted. The same
 * nodes are listed by step below it, for readers who do not see the drawing.
 */
export function LineageGraph({ graph, focus, title }: { graph: LineageGraphData; focus: string | null; title: string }) {
  const placed = useMemo(() => layoutLineage(graph), [graph]);
  return (
    <figure class="lineage" data-nodes={graph.nodes.length} data-edges={graph.edges.length}>
      <div class="lineage-scroll">
        <svg class="lineage-graph" role="group" aria-label={`${title}: ${graph.nodes.length} nodes, ${graph.edges.length} edges`} viewBox={`0 0 ${placed.width} ${placed.height}`} width={placed.width} height={placed.height}>
          <defs>
            <marker id="lineage-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
            </marker>
          </defs>
          <g class="edges">
            {placed.edges.map((edge) => (
              <path key={`${edge.from}>${edge.to}`} class="edge" data-from={edge.from} data-to={edge.to} marker-end="url(#lineage-arrow)" d={edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ')} />
            ))}
          </g>
          <g class="nodes">
            {placed.nodes.map(({ node, x, y, width, height }) => (
              <a key={node.id} href={nodeHref(node)} class={`node ${kindClass(node.kind)}${node.id === focus ? ' focus' : ''}`} data-node-id={node.id} aria-label={`${KIND_LABELS[node.kind]} ${node.label}${node.detail ? ` (${node.detail})` : ''}`}>
                <title>{`${KIND_LABELS[node.kind]}: ${node.label}${node.detail ? `\n${node.detail}` : ''}`}</title>
                <rect x={x} y={y} width={width} height={height} rx="6" />
                <text x={x + 10} y={y + (node.detail ? 17 : 24)} class="label">
                  {shortened(node.label)}
                </text>
                {node.detail ? (
                  <text x={x + 10} y={y + 32} class="detail">
                    {shortened(node.detail)}
                  </text>
                ) : null}
              </a>
            ))}
          </g>
        </svg>
      </div>
      <figcaption>
        <ul class="legend" aria-label="Kinds of node">
          {KINDS.map((kind) => (
            <li key={kind}>
              <span class={`swatch ${kindClass(kind)}`} aria-hidden="true" /> {KIND_LABELS[kind]} ({graph.nodes.filter((n) => n.kind === kind).length})
            </li>
          ))}
        </ul>
        <details>
          <summary>The graph as a list</summary>
          {KINDS.map((kind) => {
            const nodes = graph.nodes.filter((n) => n.kind === kind);
            return nodes.length === 0 ? null : (
              <section key={kind}>
                <h4>{KIND_LABELS[kind]}</h4>
                <ul>
                  {nodes.map((n) => (
                    <li key={n.id}>
                      <a href={nodeHref(n)}>{n.label}</a>
                      {n.detail ? <small> {n.detail}</small> : null}
                      {graph.edges.some((e) => e.to === n.id) ? <small> ← {graph.edges.filter((e) => e.to === n.id).length} upstream</small> : null}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </details>
      </figcaption>
    </figure>
  );
}
