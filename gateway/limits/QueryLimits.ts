import type { PrincipalAudience } from '../access/index.js';

/**
 * What one GraphQL request may ask for, checked after parsing and validation and before
 * execution (`checkQueryLimits`). Every limit is inclusive: a query measuring exactly the
 * maximum passes.
 */
export interface QueryLimits {
  /**
   * Lexical tokens in the document (comments excluded, as graphql-js counts them). Parsing is
   * linear in tokens, but validation, compilation (graphql-jit) and execution are not free per
   * field: this bounds every later stage. The largest value across audiences also goes to
   * Apollo's `parseOptions` (`MAX_DOCUMENT_TOKENS`), so an oversized document is refused while
   * it is being parsed; a smaller per-audience value is checked here, after validation.
   */
  readonly maxTokens: number;
  /**
   * Aliased fields in the operation, fragments counted where they are spread; `__typename`
   * aliases are free. Aliases are how one request asks for the same expensive field many times.
   */
  readonly maxAliases: number;
  /** Nesting of fields in the operation; fragments add no level of their own; introspection (`__schema`) is not counted. */
  readonly maxDepth: number;
  /**
   * Estimated work: each field costs 1, a list field multiplies its subtree by its page size
   * (`first`) or, without one, by an assumed list size (see `checkQueryLimits`).
   */
  readonly maxCost: number;
  /** Largest `first` any field may be given; negative values are always refused. */
  readonly maxPageSize: number;
  /** Who these limits apply to, named in error messages ("… for PARTNER callers"). Optional. */
  readonly appliesTo?: string;
}

/**
 * Defaults per audience. Reference query: a page of 100 orders of
 * `customer_order_timeline/v2` with every field, lines and lifecycle history costs 13,401
 * (per order 9 scalars + orderTotal 3 + orderLines 1 + 10 × 9 + lifecycleHistory 1 + 10 × 3 = 134),
 * has 0 aliases, depth 4 and about 50 tokens. The contract promises it p99 under 250 ms.
 *
 * INTERNAL (our own services, e.g. the customer-service portal):
 * - `maxTokens` 5,000: the full introspection query has 163 tokens and the reference page about
 *   50; 5,000 leaves room for a hand-written batch of 100 aliased lookups with a fragment, and
 *   caps what reaches validation at ~450 aliased fields (~40 ms to validate, measured).
 * - `maxAliases` 100: a batch of lookups by id (`o1: customerOrderTimeline(orderId: …)`) is the one
 *   legitimate use; 100 such lookups is a whole screen.
 * - `maxDepth` 10: the deepest leaf in today's contracts is at depth 4
 *   (`recentCustomerOrders.orderLines.unitPrice.amount`); no contract type is recursive yet, so
 *   the limit only matters once one is, and leaves room for contracts to grow.
 * - `maxCost` 50,000: the reference page (13,401) with 3.7× headroom, e.g. 300 full orders or 500
 *   orders without lines; refuses the 1,000 aliases × 100 orders (23 MB) response outright.
 * - `maxPageSize` 500: pages beyond that belong to bulk exports, not to GraphQL reads.
 *
 * PARTNER (external integrations, incremental pulls): stricter everywhere.
 * - `maxTokens` 2,000, `maxAliases` 30, `maxDepth` 6: partner contracts are flat (depth 4 today)
 *   and pulled by programs, which have no reason to batch more than a few lookups.
 * - `maxCost` 15,000: exactly one reference page of 100 full orders per request, no more.
 * - `maxPageSize` 100: the page size the partner contract's latency profile promises.
 */
export const DEFAULT_QUERY_LIMITS: Readonly<Record<PrincipalAudience, QueryLimits>> = {
  INTERNAL: { maxTokens: 5_000, maxAliases: 100, maxDepth: 10, maxCost: 50_000, maxPageSize: 500, appliesTo: 'INTERNAL' },
  PARTNER: { maxTokens: 2_000, maxAliases: 30, maxDepth: 6, maxCost: 15_000, maxPageSize: 100, appliesTo: 'PARTNER' },
};

/**
 * The largest `maxTokens` of any audience: give it to Apollo as `parseOptions: { maxTokens }`
 * (graphql 16.15 also calls it `maxLexicalTokens`). That is what stops a 10,000-alias document:
 * the parser throws after this many tokens, before the rest of the document is even read, so no
 * validation rule, compilation or execution ever sees it. A validation rule cannot do this job:
 * Apollo runs custom rules in the same pass as the specified ones, over the whole document.
 */
export const MAX_DOCUMENT_TOKENS: number = Math.max(...Object.values(DEFAULT_QUERY_LIMITS).map((limits) => limits.maxTokens));
