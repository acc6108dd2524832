import type { DocumentNode, ExecutionResult, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';
import { getArgumentValues, Kind, visit } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../../platform/database/index.js';
import type { RowScope, SubgraphVersion } from '../../platform/subgraph/index.js';
import type { Principal } from '../access/index.js';
import { RawJson } from '../http/RawJson.js';
import type { Tokenizer } from '../redaction/index.js';
import { applyRedaction } from '../redaction/index.js';
import type { ContractRequestContext } from './compileContract.js';
import type { CompiledContract, ContractAudience } from './ContractModel.js';
import type { ComputedField, ContractReadPlan, PlannedRedaction } from './planContractRead.js';
import { planContractRead } from './planContractRead.js';

export interface ContractSqlReadsDeps {
  contract: CompiledContract;
  audience: ContractAudience;
  subgraphs: readonly SubgraphVersion[];
  db: Queryable;
  /** The schema holding a context's projection tables. */
  schemaOf(context: string): string;
  /** The row scope the contract binds for a subgraph and principal (null: unscoped). */
  rowScopeFor(subgraph: SubgraphVersion, principal: Principal): RowScope | null;
  tokenizer: Tokenizer;
}

export interface ContractSqlReadsOptions {
  /** Plans kept, per contract and audience (least recently used dropped). Default 500, as compiled operations. */
  maxPlans?: number;
}

/** One request of an operation already parsed, validated and its variables coerced. */
export interface ContractSqlReadRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Identifies the document (Apollo's query hash); with the operation name, the plan's cache key. */
  queryHash: string;
  operationName: string | null;
  /** Coerced variable values. */
  variables: Readonly<Record<string, unknown>>;
  /** The request's contract context: who asks (row scope, redaction), and the loaders a computed field's resolver may use. */
  context: ContractRequestContext;
}

export interface ContractSqlReads {
  /**
   * The operation's result with every root field built by its context's SQL, or null when it
   * cannot be (a field needs a resolver, an argument the plan leaves to the resolver, a failed
   * statement): the caller then executes it with resolvers, which answer (or fail) as they always
   * have, so errors and their codes, messages and paths are the resolvers' own.
   */
  read(request: ContractSqlReadRequest): Promise<ExecutionResult | null>;
  /** Whether the operation (with these `@skip`/`@include` values) is planned in SQL at all: when not, `read` answers null whatever the arguments. */
  plans(request: Omit<ContractSqlReadRequest, 'context'>): boolean;
}

type Planned = ContractReadPlan | { unplannable: string };

/**
 * Contract reads compiled to SQL (DESIGN §10) for one contract and audience: plans are made once
 * per operation document (and operation name, and the values of the variables its `@skip` or
 * `@include` read), variable values are bound as parameters, and PostgreSQL builds the JSON with
 * the response keys, which becomes `data` after the audience's redaction.
 */
export function createContractSqlReads(deps: ContractSqlReadsDeps, options: ContractSqlReadsOptions = {}): ContractSqlReads {
  const plans = new LRUCache<string, Planned>({ max: options.maxPlans ?? 500 });
  const directiveVariables = new WeakMap<DocumentNode, readonly string[]>();
  const planFor = (request: Omit<ContractSqlReadRequest, 'context'>): Planned => {
    let names = directiveVariables.get(request.document);
    if (!names) directiveVariables.set(request.document, (names = variablesOfSkipAndInclude(request.document)));
    const key = `${request.queryHash}:${request.operationName ?? ''}:${JSON.stringify(names.map((n) => request.variables[n] ?? null))}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = planContractRead(deps.contract, deps.audience, deps.subgraphs, request.document, request.operation, request.variables);
      plans.set(key, plan);
    }
    return plan;
  };
  return {
    plans: (request) => !('unplannable' in planFor(request)),
    async read(request) {
      const plan = planFor(request);
      if ('unplannable' in plan) return null;
      const calls: Array<{ args: Record<string, unknown>; root: ContractReadPlan['roots'][number] }> = [];
      for (const root of plan.roots) {
        const args = getArgumentValues(root.field, root.node, request.variables);
        if (root.plan.refuses(args) !== null) return null;
        calls.push({ args, root });
      }
      let texts: Array<{ json: string; rows: number }>;
      try {
        const { principal } = request.context;
        texts = await Promise.all(calls.map(({ args, root }) => root.plan.run(deps.db, deps.schemaOf(root.subgraph.context), args, deps.rowScopeFor(root.subgraph, principal))));
        const data: Record<string, unknown> = {};
        for (const [i, { root }] of calls.entries()) {
          const { json, rows } = texts[i]!;
          // Nothing to change in it: written into the response as PostgreSQL printed it.
          if (root.redactions.length === 0 && root.computed.length === 0) {
            data[root.key] = new RawJson(json, rows);
            continue;
          }
          const value: unknown = JSON.parse(json);
          for (const redaction of root.redactions) redactAt(value, redaction, 0, principal.id, deps.tokenizer);
          for (const computed of root.computed) await fillIn(value, computed, request.context);
          data[root.key] = value;
        }
        return { data };
      } catch {
        // A failed statement, or a computed field's resolver that threw: the resolvers meet the
        // same failure and report it as they always have (codes, messages, paths, outages).
        return null;
      }
    },
  };
}

/** The objects at `path` below a root field's value (through lists). */
function objectsAt(value: unknown, path: readonly string[], depth = 0, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (const element of value) objectsAt(element, path, depth, found);
    return found;
  }
  if (depth === path.length) found.push(value as Record<string, unknown>);
  else objectsAt((value as Record<string, unknown>)[path[depth]!], path, depth + 1, found);
  return found;
}

/**
 * Fills a computed field into every object holding it: `__typename`, or a derived field by its
 * resolver over the record its sources make (hidden keys removed), serialized as execution
 * serializes it. The resolvers of derived fields read no `info` beyond what they are given.
 */
async function fillIn(value: unknown, computed: ComputedField, context: ContractRequestContext): Promise<void> {
  const objects = objectsAt(value, computed.path);
  if (computed.kind === 'typename') {
    for (const object of objects) object[computed.key] = computed.typename;
    return;
  }
  await Promise.all(
    objects.map(async (object) => {
      const record: Record<string, unknown> = {};
      for (const source of computed.sources) {
        record[source.field] = source.read(object[source.hiddenKey]);
        delete object[source.hiddenKey];
      }
      const result: unknown = await computed.resolve(record, {}, context, NO_INFO);
      object[computed.key] = result === null || result === undefined ? null : computed.type.serialize(result);
    }),
  );
}
/** Derived resolvers take their record and arguments; the contract's wrapper hands `info` only to subgraph resolvers, which a planned derived field has none of. */
const NO_INFO = Object.freeze({}) as GraphQLResolveInfo;

/** Applies a redaction at its path below a root field's value, through lists. */
function redactAt(value: unknown, redaction: PlannedRedaction, depth: number, principalId: string, tokenizer: Tokenizer): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const element of value) redactAt(element, redaction, depth, principalId, tokenizer);
    return;
  }
  const record = value as Record<string, unknown>;
  const key = redaction.path[depth]!;
  if (depth === redaction.path.length - 1) record[key] = applyRedaction(redaction.rule, record[key], principalId, tokenizer);
  else redactAt(record[key], redaction, depth + 1, principalId, tokenizer);
}

/** The variables an `@skip` or `@include` of the document reads: they change the selection, so the plan. */
function variablesOfSkipAndInclude(document: DocumentNode): readonly string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    },
  });
  return [...names].sort();
}
