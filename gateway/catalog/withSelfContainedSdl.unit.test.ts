import { buildSchema, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { CompiledContract, ContractAudience } from '../contracts/index.js';
import { loadContracts } from '../contracts/index.js';
import { selfContainedSdl, withSelfContainedSdl } from './withSelfContainedSdl.js';

const AUDIENCES: readonly ContractAudience[] = ['INTERNAL', 'PARTNER'];

describe('self-contained SDL', () => {
  let contracts: CompiledContract[];
  beforeAll(async () => {
    contracts = (await loadContracts(new URL('../../contracts', import.meta.url).pathname, contexts.flatMap((c) => c.subgraphs))).map(withSelfContainedSdl);
  });

  it('builds on its own with graphql-js buildSchema, for every contract and audience', () => {
    expect(contracts.length).toBeGreaterThanOrEqual(4);
    for (const contract of contracts) {
      expect(() => buildSchema(contract.sdl), `${contract.file}`).not.toThrow();
      for (const audience of AUDIENCES) expect(() => buildSchema(contract.views[audience].sdl), `${contract.file} ${audience}`).not.toThrow();
    }
  });

  it('adds only the directives the SDL uses and the enums they take, once', () => {
    const sdl = /* GraphQL */ `
      type Query {
        a: String @classification(level: PII)
      }
    `;
    const contained = selfContainedSdl(sdl);
    const defined = parse(contained).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
    expect(defined).toEqual(['Query', 'classification', 'DataClassification']);
    expect(selfContainedSdl(contained)).toBe(contained);
    expect(selfContainedSdl('type Query { a: String }')).toBe('type Query { a: String }');
  });

  it("keeps the partner's SDL free of what it hides", () => {
    const partner = contracts.find((c) => c.meta.name === 'partner_order_status')!.views.PARTNER.sdl;
    expect(partner).not.toContain('shippingCity');
    expect(partner).not.toContain('Order.customerEmail');
    expect(partner).toContain('directive @redact(audience: ContractAudience!, strategy: RedactionStrategy!, mask: MaskKind) repeatable on FIELD_DEFINITION');
  });
});
