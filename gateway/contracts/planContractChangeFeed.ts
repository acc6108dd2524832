import type { GraphQLObjectType } from 'graphql';
import { getNamedType, isObjectType } from 'graphql';
import type { Queryable } from '../../platform/database/index.js';
import type { ChangeFeedRowsPlan, RowScope, RowSelectionField, SubgraphVersion } from '../../platform/subgraph/index.js';
import type { RedactionRule } from '../redaction/index.js';
import { redactionFor } from '../redaction/index.js';
import type { CompiledContract, ContractAudience } from './ContractModel.js';

/** A contract's change feed answered by its subgraph in SQL: rows as JSON text with contract field names. */
export interface ContractChangeFeedPlan {
  subgraph: SubgraphVersion;
  /** Node fields redacted for this audience: their plain values come beside the JSON, in this order, to be redacted here. */
  redacted: ReadonlyArray<{ key: string; rule: RedactionRule }>;
  run(db: Queryable, schemaName: string, page: { since: string | null; first: number }): Promise<{ rows: Array<{ json: string; raw: Array<string | null> }>; endCursor: string | null; hasMore: boolean }>;
  /** The whole feed in one statement, when the subgraph and the database can (see `ChangeFeedRowsPlan.stream`). */
  stream?: ChangeFeedRowsPlan['stream'];
}

/**
 * Maps the audience's view of a contract's change feed (`feedField`, e.g. `changes`) onto its
 * subgraph's SQL planner, through the fields' lineage. Only the feed's node fields can be
 * redacted on this path (as plain values the gateway redacts with the same `applyRedaction` as
 * the resolvers); anything the planner cannot express (derived fields, a second subgraph, a
 * redacted nested field) is a reason, and the caller executes GraphQL instead.
 */
export function planContractChangeFeed(contract: CompiledContract, audience: ContractAudience, feedField: string, subgraphs: readonly SubgraphVersion[], rowScope: RowScope | null, options: { endOnly?: boolean } = {}): ContractChangeFeedPlan | { unplannable: string } {
  const schema = contract.views[audience].schema;
  const root = schema.getQueryType()?.getFields()[feedField];
  const rootLink = contract.fields.get(`Query.${feedField}`)?.lineage;
  if (!root || rootLink?.length !== 1) return { unplannable: `Query.${feedField} is not a single-source field` };
  const subgraph = subgraphs.find((s) => s.id === rootLink[0]!.subgraph);
  const planner = subgraph?.changeFeedRows;
  if (!subgraph || !planner || planner.rootField !== rootLink[0]!.subgraphField) return { unplannable: `${rootLink[0]!.subgraph} ${rootLink[0]!.subgraphField} has no SQL plan` };
  const pageType = getNamedType(root.type) as GraphQLObjectType;
  const nodesField = Object.values(pageType.getFields()).find((f) => contract.fields.get(`${pageType.name}.${f.name}`)?.lineage[0]?.subgraphField === planner.nodesField);
  if (!nodesField) return { unplannable: `${pageType.name} lists no ${planner.nodesField}` };

  const redacted: Array<{ key: string; rule: RedactionRule }> = [];
  const rawFields: string[] = [];
  const select = (type: GraphQLObjectType, top: boolean): RowSelectionField[] | string => {
    const fields: RowSelectionField[] = [];
    for (const field of Object.values(type.getFields())) {
      const meta = contract.fields.get(`${type.name}.${field.name}`);
      const link = meta?.lineage;
      if (!meta || meta.derived || link?.length !== 1 || link[0]!.subgraph !== subgraph.id) return `${type.name}.${field.name} is not served from ${subgraph.id} alone`;
      const source = link[0]!.subgraphField.split('.')[1]!;
      const rule = redactionFor(meta.redactions, audience);
      const named = getNamedType(field.type);
      if (rule) {
        if (!top || isObjectType(named)) return `${type.name}.${field.name} is redacted below the feed's rows`;
        redacted.push({ key: field.name, rule });
        rawFields.push(source);
        continue;
      }
      if (isObjectType(named)) {
        const children = select(named, false);
        if (typeof children === 'string') return children;
        fields.push({ key: field.name, field: source, children });
      } else fields.push({ key: field.name, field: source });
    }
    return fields;
  };
  const fields = select(getNamedType(nodesField.type) as GraphQLObjectType, true);
  if (typeof fields === 'string') return { unplannable: fields };
  // Where a page ends needs the feed's rows and cursors only: no JSON, nothing to redact.
  const plan = options.endOnly ? planner.plan({ fields: [], rawFields: [], rowScope, endOnly: true }) : planner.plan({ fields, rawFields, rowScope });
  if ('unplannable' in plan) return plan;
  return { subgraph, redacted: options.endOnly ? [] : redacted, run: plan.run, ...(plan.stream && !options.endOnly ? { stream: plan.stream } : {}) };
}
