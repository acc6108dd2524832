import { lineageImpactOperation } from './catalogQueries.js';
import { Loaded } from './Loaded.js';
import { FedFields } from './FedFields.js';
import { KIND_LABELS, LineageGraph } from './LineageGraph.js';
import { useCatalogQuery } from './useCatalogQuery.js';

/** "And back": what changing a node (a column, a topic, a source system) touches, down to every contract field it feeds. */
export function LineagePage({ node }: { node: string }) {
  const query = useCatalogQuery(lineageImpactOperation, { node });
  return (
    <Loaded
      query={query}
      render={({ lineageImpact }) => {
        const self = lineageImpact?.nodes.find((n) => n.id === node);
        if (!lineageImpact || !self) {
          return (
            <>
              <h1 tabIndex={-1}>Unknown lineage node</h1>
              <p role="alert">No lineage node {node} that you may see.</p>
            </>
          );
        }
        return (
          <article class="impact" data-node-id={node}>
            <h1 tabIndex={-1}>
              What changing {KIND_LABELS[self.kind].toLowerCase()} {self.label} touches
            </h1>
            {self.detail ? <p>In {self.detail}.</p> : null}
            <LineageGraph graph={lineageImpact} focus={node} title={`Impact of ${self.label}`} />
            <FedFields graph={lineageImpact} exclude={node} heading="Contract fields it feeds" />
          </article>
        );
      }}
    />
  );
}
