import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import type { LineageNodeKind } from './generated/catalogOperations.js';

/** A lineage graph as the catalog API returns it (`lineageGraph`, `lineageImpact`). */
export interface LineageGraphData {
  nodes: ReadonlyArray<{ id: string; kind: LineageNodeKind; label: string; detail: string | null; contractField: { contract: string; version: number; coordinate: string } | null }>;
  edges: ReadonlyArray<{ from: string; to: string }>;
}

export type LineageNodeData = LineageGraphData['nodes'][number];

export interface PlacedNode {
  node: LineageNodeData;
  /** Top-left corner and size, in the drawing's units. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Approximate advance of a character at the graph's font size: enough to size boxes without measuring text in the DOM. */
const CHAR_WIDTH = 7;
const NODE_HEIGHT = 40;
const MAX_LABEL = 48;

export const shortened = (text: string) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

/**
 * Places the graph left to right, upstream first, with dagre (layered layout: each step of the
 * data path in its own column, crossings reduced, edges routed around boxes). Drawing the
 * result is the component's job; placing it is dagre's.
 */
export function layoutLineage(graph: LineageGraphData): LineageLayout {
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 64, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const text = Math.max(shortened(node.label).length, shortened(node.detail ?? '').length * 0.85);
    g.setNode(node.id, { width: Math.ceil(text * CHAR_WIDTH) + 24, height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  layout(g);
  const nodes = graph.nodes.map((node) => {
    const placed = g.node(node.id);
    return { node, x: (placed.x ?? 0) - placed.width / 2, y: (placed.y ?? 0) - placed.height / 2, width: placed.width, height: placed.height };
  });
  const edges = graph.edges.map((edge) => ({ from: edge.from, to: edge.to, points: g.edge(edge.from, edge.to)?.points ?? [] }));
  const label = g.graph();
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, edges };
}
