import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Cache } from '../../platform/cache/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { CompiledContract, ContractRequestContext } from '../contracts/index.js';
import type { FreshnessReader } from '../metadata/index.js';
import { addExtension, collectSelection } from '../metadata/index.js';
import { createResponseStore } from './createResponseStore.js';
import type { ResponseCacheBypassReason } from './projectionsRead.js';
import { projectionsRead } from './projectionsRead.js';
import { responseCacheKey } from './responseCacheKey.js';
import { printStoredAnswer, readStoredAnswer } from './storedAnswer.js';

export type ResponseCacheStatus = 'HIT' | 'MISS' | 'BYPASS';

/** `extensions.responseCache` of a contract response. */
export type ResponseCacheExtension =
  | { status: 'HIT'; storedAt: string }
  /** `stored` false when the answer had errors, no data, or was over `maxEntryBytes`. */
  | { status: 'MISS'; stored: boolean }
  | { status: 'BYPASS'; reason: ResponseCacheBypassReason; field?: string };

export interface ResponseCacheOptions {
  /** The longest an entry is kept, valid or not (an entry stops being found as soon as a projection it read moves). Default 300 000 ms. */
  ttlMs?: number;
  /** Answers whose JSON is longer are not cached: one large page must not evict many small ones. Default 1 MiB. */
  maxEntryBytes?: number;
  /** Bound of the in-process store (no Redis), least recently used first out. Default 64 MiB. */
  maxMemoryBytes?: number;
}

export interface ResponseCacheDeps {
  /** Redis when the gateway has it (entries shared by replicas); the memory adapter means an LRU in this process. */
  cache: Cache;
  /** The watermark read that freshness comes from: versions are read from the same read, pinned per request. */
  freshness: Pick<FreshnessReader, 'forRequest'>;
  /** Where an unavailable cache is warned about, once per outage. */
  logger: Logger;
  /** Counts each answer by contract (`name/vN`) and status (the Prometheus counter). */
  count?: (contract: string, status: ResponseCacheStatus) => void;
}

export interface ResponseCache {
  /** The plugin for one contract's servers (every audience). */
  useResponseCache(contract: CompiledContract): ApolloServerPlugin<BaseContext>;
}

/**
 * A response cache for contract queries, valid exactly while what the query reads has not
 * changed. An answer is keyed by contract version, audience view, document hash, operation
 * name, canonical variables, principal (id and row scope: never shared across principals) and
 * the version of every projection the selected fields' lineage names. A projection's version is
 * every partition's checkpoint offset plus its count of changes outside batches (re-drives by
 * hand, settlements, rebuild swaps): it moves on every applied change, a late event whose event
 * time moves no watermark included, where the event-time watermark (`asOfEventTime`) would not.
 * It is read from the watermark read freshness already makes (no extra round trip), pinned per
 * request, so a HIT's freshness is of the same read that found it.
 *
 * Only `data` is stored (see printStoredAnswer: a page PostgreSQL printed is stored and written
 * as its text). Every extension (freshness, lineage, deprecations, redactions) and
 * header is computed for each answer by the same plugins as for a fresh one, so a HIT carries
 * exactly what a fresh answer at the same watermarks would: freshness ages (`dataAgeMs`,
 * `lagMs`) are measured now, and a DATA_AGE verdict turns STALE with time even while the cached
 * data is still the projection's current data. Usage and audit count a HIT like any answer.
 * Error responses are never stored; a cache that does not answer is bypassed (warned once).
 */
export function createResponseCache(deps: ResponseCacheDeps, options: ResponseCacheOptions = {}): ResponseCache {
  const ttlMs = options.ttlMs ?? 300_000;
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  const store = createResponseStore(deps.cache, { maxMemoryBytes: options.maxMemoryBytes ?? 64 * 1024 * 1024 });
  const log = deps.logger.child({ component: 'responseCache' });
  // One warning per outage, not one per request.
  let unavailable = false;
  const cacheFailed = (error: unknown) => {
    if (!unavailable) log.warn({ err: error, store: store.kind }, 'response cache unavailable: queries are answered from the projections (BYPASS) until it answers again');
    unavailable = true;
  };
  const cacheAnswered = () => {
    if (unavailable) log.info({ store: store.kind }, 'response cache available again');
    unavailable = false;
  };

  return {
    useResponseCache(contract) {
      const name = `${contract.meta.name}/v${contract.meta.version}`;
      return {
        async requestDidStart() {
          let outcome: ResponseCacheExtension | null = null;
          let key: string | null = null;
          return {
            async responseForOperation(requestContext): Promise<GraphQLResponse | null> {
              const { operation, document, request, contextValue } = requestContext;
              if (operation.operation !== 'query') {
                outcome = { status: 'BYPASS', reason: 'NOT_A_QUERY' };
                return null;
              }
              const read = projectionsRead(contract, collectSelection(contract.schema, document, operation, request.variables).coordinates);
              if (read.kind === 'bypass') {
                outcome = { status: 'BYPASS', reason: read.reason, field: read.field };
                return null;
              }
              const reader = deps.freshness.forRequest(contextValue);
              const versions: Record<string, string> = {};
              for (const projection of read.projections) {
                const version = await reader.version(projection);
                if (version === null) {
                  outcome = { status: 'BYPASS', reason: 'WATERMARKS_UNKNOWN' };
                  return null;
                }
                versions[projection] = version;
              }
              const { principal } = contextValue as unknown as ContractRequestContext;
              key = responseCacheKey({ contract: name, audience: principal.audience, documentHash: requestContext.queryHash ?? requestContext.source ?? '', operationName: requestContext.operationName ?? null, variables: request.variables, principalId: principal.id, rowScope: principal.rowScope, rights: principal.rights, versions });
              let stored: string | null;
              try {
                stored = await store.get(key);
                cacheAnswered();
              } catch (error) {
                cacheFailed(error);
                outcome = { status: 'BYPASS', reason: 'CACHE_UNAVAILABLE' };
                key = null;
                return null;
              }
              const answer = stored === null ? null : readStoredAnswer(stored);
              if (answer === null) {
                outcome = { status: 'MISS', stored: false };
                return null;
              }
              outcome = { status: 'HIT', storedAt: new Date(answer.storedAt).toISOString() };
              return { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: answer.data } } };
            },
            async willSendResponse(requestContext) {
              if (!outcome) return; // never reached execution (parse, validation or limits refused it)
              const { body } = requestContext.response;
              if (outcome.status === 'MISS' && key !== null && body.kind === 'single' && !body.singleResult.errors?.length && body.singleResult.data) {
                const value = printStoredAnswer({ storedAt: Date.now(), data: body.singleResult.data });
                if (value.length <= maxEntryBytes) {
                  try {
                    await store.set(key, value, ttlMs);
                    cacheAnswered();
                    outcome = { status: 'MISS', stored: true };
                  } catch (error) {
                    cacheFailed(error);
                  }
                }
              }
              addExtension(requestContext, 'responseCache', outcome);
              deps.count?.(name, outcome.status);
            },
          };
        },
      };
    },
  };
}
