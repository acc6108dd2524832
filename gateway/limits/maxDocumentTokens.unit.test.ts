import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { preExecutionErrors } from '../../test/support/preExecutionErrors.js';
import { contexts } from '../../subgraphs/index.js';
import { loadContracts } from '../contracts/index.js';
import type { QueryLimits } from './QueryLimits.js';
import { DEFAULT_QUERY_LIMITS, MAX_DOCUMENT_TOKENS } from './QueryLimits.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  const contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
  schema = contracts.find((contract) => contract.meta.name === 'customer_order_timeline' && contract.meta.version === 2)!.schema;
});

/** 11 tokens per alias: `a0 : recentCustomerOrders ( first : 1 ) { orderId }`. */
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: recentCustomerOrders(first: 1) { orderId }`).join(' ')} }`;

const refusalOf = (source: string, limits: QueryLimits) => preExecutionErrors(schema, source, limits);

describe('MAX_DOCUMENT_TOKENS', () => {
  it('is the largest maxTokens of any audience', () => {
    expect(MAX_DOCUMENT_TOKENS).toBe(Math.max(DEFAULT_QUERY_LIMITS.INTERNAL.maxTokens, DEFAULT_QUERY_LIMITS.PARTNER.maxTokens));
  });

  it('refuses the 10,000-alias document while parsing it, before validation or the limit walks see it', () => {
    // For comparison, measured once on the 2-core test machine and not run here: with the
    // installed graphql 16.15.0, `validate` with specifiedRules takes ~250 ms on this document
    // (graphql-js now bounds OverlappingFieldsCanBeMerged with a complexity budget), graphql-jit
    // compiling it takes ~0.6 s per 4,000 aliases, and then 10,000 fields execute: the 12–16 s the
    // whole request took comes after parsing. The parser's token cap stops it before all of it.
    const source = aliases(10_000);
    // How fast the refusal is, against a normal query's pre-execution CPU: bench:refusal.
    const errors = refusalOf(source, DEFAULT_QUERY_LIMITS.INTERNAL);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`Syntax Error: Document contains more that ${MAX_DOCUMENT_TOKENS} tokens. Parsing aborted.`);
    // A parse error, not a validation or limit error: the cap stopped the parser, so nothing after it ran.
    expect(errors[0]!.source?.body).toBe(source);
    expect(errors[0]!.nodes).toBeUndefined();
  });

  it('lets through at most a few hundred aliases, which the alias limit then refuses for every audience', () => {
    // 454 aliases: ~40 ms to validate with specifiedRules, measured; not timed here, where the
    // machine is shared and a bound loose enough not to flake would prove nothing.
    const count = Math.floor((MAX_DOCUMENT_TOKENS - 2) / 11);
    expect(() => parse(aliases(count + 1), { maxTokens: MAX_DOCUMENT_TOKENS })).toThrow(/Parsing aborted/);
    for (const limits of [DEFAULT_QUERY_LIMITS.INTERNAL, DEFAULT_QUERY_LIMITS.PARTNER]) {
      const errors = refusalOf(aliases(count), limits);
      expect(errors.find((error) => error.extensions.limit === 'aliases')?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', measured: count, maximum: limits.maxAliases });
    }
  });
});
