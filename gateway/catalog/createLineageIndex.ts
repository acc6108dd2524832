import type { CompiledContract } from '../contracts/index.js';

/**
 * The steps of the data path, upstream first: a source system produces a topic, whose events'
 * fields are written to projection columns, read by subgraph fields, served as contract fields.
 */
export type LineageNodeKind = 'SOURCE_SYSTEM' | 'TOPIC' | 'EVENT' | 'PROJECTION_COLUMN' | 'SUBGRAPH_FIELD' | 'CONTRACT_FIELD';
export const LINEAGE_NODE_KINDS: readonly LineageNodeKind[] = ['SOURCE_SYSTEM', 'TOPIC', 'EVENT', 'PROJECTION_COLUMN', 'SUBGRAPH_FIELD', 'CONTRACT_FIELD'];

export interface LineageNode {
  /** Stable and readable: `source:<system>`, `topic:<topic>`, `event:<topic>/<Event.path>`, `column:<projection>/<table.column>`, `subgraph:<id>:<Type.field>`, `contract:<name>/v<N>:<Type.field>`. */
  id: string;
  kind: LineageNodeKind;
  /** What the node is called where it lives: a topic's name, `table.column`, `Type.field`. */
  label: string;
  /** Where it lives: the topic of an event field, the projection of a column, the subgraph version of a subgraph field, `name vN` of a contract field; null otherwise. */
  detail: string | null;
  /** For a CONTRACT_FIELD, the contract version and coordinate (the field page's address); null for the other kinds. */
  contract: { name: string; version: number; coordinate: string } | null;
}

/** Data flows `from` → `to` (upstream → downstream). */
export interface LineageEdge {
  from: string;
  to: string;
}

export interface LineageGraph {
  nodes: LineageNode[];
  /** Every lineage edge between the graph's nodes. */
  edges: LineageEdge[];
}

export interface LineageIndex {
  /**
   * A contract field's graph: upstream, every node it is built from, back to its source systems;
   * downstream of each projection column it reads, every subgraph field and contract field that
   * column feeds (what else changes when that column does). Null when the contract has no such field.
   */
  forField(contract: { name: string; version: number }, coordinate: string): LineageGraph | null;
  /** What changing a node touches: the node and everything downstream of it, down to every contract field it feeds. Null for an unknown node. */
  impactOf(nodeId: string): LineageGraph | null;
}

const KIND_ORDER = new Map(LINEAGE_NODE_KINDS.map((kind, i) => [kind, i]));

export const contractFieldNodeId = (contract: { name: string; version: number }, coordinate: string) => `contract:${contract.name}/v${contract.version}:${coordinate}`;

/**
 * The lineage of these contracts as one graph, from the compiled contracts' lineage links (the
 * same links `lineage` in the catalog and `extensions.lineage` in responses show). Built from the
 * contracts a principal may see, as the catalog shows them: a field redacted for a partner has
 * no links, so it has no lineage here either, and no other contract appears downstream.
 *
 * Event nodes are event field paths (`OrderPlaced.data.customerEmail`) on a topic: a topic feeds
 * the paths of the event types it yields, and each path of a link feeds each column of that link
 * (the links say which paths and columns go together, not which path fills which column).
 */
export function createLineageIndex(contracts: readonly CompiledContract[]): LineageIndex {
  const nodes = new Map<string, LineageNode>();
  const downstream = new Map<string, Set<string>>();
  const upstream = new Map<string, Set<string>>();
  const node = (id: string, kind: LineageNodeKind, label: string, detail: string | null = null, contract: LineageNode['contract'] = null) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind, label, detail, contract });
    return id;
  };
  const edge = (from: string, to: string) => {
    if (!downstream.has(from)) downstream.set(from, new Set());
    if (!upstream.has(to)) upstream.set(to, new Set());
    downstream.get(from)!.add(to);
    upstream.get(to)!.add(from);
  };

  const edgeFromTopic = (topic: string, eventId: string) => {
    edge(`topic:${topic}`, eventId);
    return eventId;
  };

  for (const contract of contracts) {
    for (const field of contract.fields.values()) {
      const fieldId = node(contractFieldNodeId(contract.meta, field.coordinate), 'CONTRACT_FIELD', field.coordinate, `${contract.meta.name} v${contract.meta.version}`, { name: contract.meta.name, version: contract.meta.version, coordinate: field.coordinate });
      for (const link of field.lineage) {
        const subgraphField = node(`subgraph:${link.subgraph}:${link.subgraphField}`, 'SUBGRAPH_FIELD', link.subgraphField, link.subgraphStatus === 'deprecated' ? `${link.subgraph} (deprecated)` : link.subgraph);
        edge(subgraphField, fieldId);
        const columns = link.columns.map((column) => node(`column:${link.projection}/${column}`, 'PROJECTION_COLUMN', column, link.projection));
        for (const column of columns) edge(column, subgraphField);
        for (const topic of link.topics) {
          const topicId = node(`topic:${topic.topic}`, 'TOPIC', topic.topic);
          for (const system of topic.sourceSystems) edge(node(`source:${system}`, 'SOURCE_SYSTEM', system), topicId);
        }
        for (const path of link.events) {
          // An event field is the field of a message on one topic: the same path on two topics
          // is two nodes, so a projection that reads one topic is not drawn as fed by the other.
          const eventType = path.split('.')[0]!;
          const topics = link.topics.filter((t) => t.events.includes(eventType));
          const events = topics.length > 0 ? topics.map((t) => edgeFromTopic(t.topic, node(`event:${t.topic}/${path}`, 'EVENT', path, t.topic))) : [node(`event:${path}`, 'EVENT', path)];
          // A link without columns (none declared) still says which events its subgraph field reads.
          for (const eventId of events) for (const target of columns.length > 0 ? columns : [subgraphField]) edge(eventId, target);
        }
      }
    }
  }

  const walk = (from: Iterable<string>, next: Map<string, Set<string>>): Set<string> => {
    const seen = new Set<string>();
    const queue = [...from];
    while (queue.length > 0) {
      const id = queue.pop()!;
      for (const neighbour of next.get(id) ?? []) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        queue.push(neighbour);
      }
    }
    return seen;
  };
  const graphOf = (ids: ReadonlySet<string>): LineageGraph => ({
    nodes: [...ids]
      .map((id) => nodes.get(id)!)
      .sort((a, b) => KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || (a.detail ?? '').localeCompare(b.detail ?? '') || a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
    edges: [...ids]
      .flatMap((from) => [...(downstream.get(from) ?? [])].filter((to) => ids.has(to)).map((to) => ({ from, to })))
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  });

  return {
    forField(contract, coordinate) {
      const focus = contractFieldNodeId(contract, coordinate);
      if (!nodes.has(focus)) return null;
      const ancestors = walk([focus], upstream);
      const columns = [...ancestors].filter((id) => nodes.get(id)!.kind === 'PROJECTION_COLUMN');
      return graphOf(new Set([focus, ...ancestors, ...walk(columns, downstream)]));
    },
    impactOf(nodeId) {
      if (!nodes.has(nodeId)) return null;
      return graphOf(new Set([nodeId, ...walk([nodeId], downstream)]));
    },
  };
}
