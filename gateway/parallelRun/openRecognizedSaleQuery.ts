import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { ContextModule } from '../../platform/context/index.js';
import type { Queryable } from '../../platform/database/index.js';
import type { Principal } from '../access/index.js';
import type { ContractRequestContext } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import { createCursorSealer, createTokenizer } from '../redaction/index.js';
import { parallelRunError, ParallelRunErrorCode } from './ParallelRunError.js';
import type { RecognizedSaleQuery } from './readRecognizedSales.js';

/** The contract the parallel run reads the new side through. */
export const RECOGNIZED_SALE_CONTRACT = { name: 'finance_recognized_sale', version: 1 } as const;

export interface RecognizedSaleQueryOptions {
  /** The bounded contexts whose subgraphs the contract resolves over (the registry). */
  contexts: readonly ContextModule[];
  /** Postgres schema per context. Default: the context's name (as the projectors use it). */
  projectionSchemas?: Readonly<Record<string, string>>;
  /** Where the contract SDL lives. Default: the repository's `contracts/`. */
  contractsDirectory?: string;
  /** Who reads: an INTERNAL principal allowed the contract (the CLI's operator). */
  principal: Principal;
}

/**
 * finance_recognized_sale v1 executed in-process, as the gateway serves it to an internal
 * principal: the contract compiled by the same loader, the INTERNAL view's schema, graphql-jit,
 * and per operation one subgraph context (loaders) per bounded context over `db`, unscoped, as
 * the gateway creates them per request. No HTTP, no Apollo plugins: the caller is the operator's
 * own code, so query limits do not apply (as for the gateway's executeContractOperation).
 */
export async function openRecognizedSaleQuery(db: Queryable, options: RecognizedSaleQueryOptions): Promise<RecognizedSaleQuery> {
  const subgraphs = options.contexts.flatMap((c) => c.subgraphs);
  const contracts = await loadContracts(options.contractsDirectory ?? fileURLToPath(new URL('../../contracts', import.meta.url)), subgraphs);
  const contract = contracts.find((c) => c.meta.name === RECOGNIZED_SALE_CONTRACT.name && c.meta.version === RECOGNIZED_SALE_CONTRACT.version);
  if (!contract) {
    const loaded = contracts.map((c) => `${c.meta.name} v${c.meta.version}`).join(', ');
    throw parallelRunError(ParallelRunErrorCode.NewSideUnreadable, `${RECOGNIZED_SALE_CONTRACT.name} v${RECOGNIZED_SALE_CONTRACT.version} is not among the contracts loaded (${loaded}): the parallel run reads the new side through it.`);
  }
  const schema = contract.views.INTERNAL.schema;
  // The contract redacts nothing for INTERNAL and has no feed cursors; these exist because every
  // request context carries them. A per-process secret is right for values that never leave.
  const secret = randomBytes(32);
  const tokenizer = createTokenizer(secret);
  const cursors = createCursorSealer(secret);
  // The run sends a handful of distinct documents (the ledger's, and one per batch size): compile each once.
  const compiled = new Map<string, CompiledQuery>();
  return async (document, variables) => {
    let query = compiled.get(document);
    if (!query) {
      const result = compileQuery(schema, parse(document));
      if (!isCompiledQuery(result)) return result;
      query = result;
      compiled.set(document, query);
    }
    const perContext = new Map<string, unknown>();
    const context: ContractRequestContext = {
      principal: options.principal,
      tokenizer,
      cursors,
      subgraphContext(subgraph) {
        if (!perContext.has(subgraph.context)) perContext.set(subgraph.context, subgraph.createContext(db, options.projectionSchemas?.[subgraph.context] ?? subgraph.context, { rowScope: null }));
        return perContext.get(subgraph.context);
      },
    };
    return query.query(undefined, context, variables);
  };
}
