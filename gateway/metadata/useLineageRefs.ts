import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ContractAudience } from '../contracts/index.js';
import type { CompiledContract, ContractRequestContext } from '../contracts/index.js';
import { asOneByte, RawJson } from '../http/RawJson.js';
import { redactionFor } from '../redaction/index.js';
import { addExtension } from './addExtension.js';
import type { Selection } from './collectSelection.js';
import { lineageAtPath } from './narrowLineage.js';
import { onSelectedFields } from './onSelectedFields.js';

/** A compact lineage ref, as a response carries it; the catalog has the full chain. */
export interface LineageRef {
  /** The contract field (`Type.field`) selected at the path. */
  field: string;
  /** Its source, `<subgraph>:Type.field`. */
  source: string;
  /** The parent sources that narrowed it at this path; empty when its own lineage stands. */
  via: string[];
  projection: string;
  columns: string[];
  topics: string[];
}

/**
 * `extensions.lineage`: per response path selected (aliases as written, list positions left out),
 * the compact lineage of the field there, narrowed by the field it is reached through (see
 * narrowLineage): a shared `Money.amount` under a total is the total's column, under a line's
 * unit price the unit price's. A field redacted for the caller's audience shows no lineage,
 * as in the catalog: which internal column holds a partner's customer is not the partner's business.
 */
export function useLineageRefs(contract: CompiledContract): ApolloServerPlugin<BaseContext> {
  // The same operation with the same variables selects the same paths: computed once per audience,
  // and printed once (as RawJson: the response writes the text; JSON.stringify still sees the object).
  const cache = new Map<ContractAudience, WeakMap<Selection, RawJson>>();
  const refsFor = (selection: Selection, audience: ContractAudience) => {
    let perAudience = cache.get(audience);
    if (!perAudience) cache.set(audience, (perAudience = new WeakMap()));
    const hit = perAudience.get(selection);
    if (hit) return hit;
    const lineage: Record<string, LineageRef[]> = {};
    for (const [path, entries] of lineageAtPath(contract, selection)) {
      lineage[path] = entries.flatMap(({ field, links }) => {
        const redacted = audience !== 'INTERNAL' && redactionFor(contract.fields.get(field)?.redactions ?? [], audience);
        return redacted ? [] : links.map((l) => ({ field, source: `${l.subgraph}:${l.subgraphField}`, via: l.via, projection: l.projection, columns: l.columns, topics: l.topics.map((t) => t.topic) }));
      });
    }
    const printed = new RawJson(asOneByte(JSON.stringify(lineage)), 1);
    perAudience.set(selection, printed);
    return printed;
  };
  return onSelectedFields(contract, (selection, requestContext) => {
    const { principal } = requestContext.contextValue as unknown as ContractRequestContext;
    addExtension(requestContext, 'lineage', refsFor(selection, principal.audience));
  });
}
