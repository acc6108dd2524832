import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../../subgraphs/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { contractDirectivesSdl, loadContracts } from '../contracts/index.js';
import { diffContractVersions } from './diffContractVersions.js';

let contracts: CompiledContract[];
beforeAll(async () => {
  contracts = await loadContracts(fileURLToPath(new URL('../../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
});
const version = (name: string, v: number) => contracts.find((c) => c.meta.name === name && c.meta.version === v)!;

describe('diffContractVersions', () => {
  it('says each change from customer_order_timeline v1 to v2 once: removals breaking, additions safe, promises as before and after', async () => {
    const changes = await diffContractVersions(version('customer_order_timeline', 1).schema, version('customer_order_timeline', 2).schema);
    expect(changes.map((c) => `${c.criticality} ${c.type} ${c.path}`).sort()).toEqual(
      [
        'BREAKING FIELD_REMOVED CustomerOrderTimeline.minutesToCommitment',
        'BREAKING FIELD_REMOVED CustomerOrderTimeline.orderStatus',
        'BREAKING FIELD_REMOVED CustomerOrderTimeline.orderTotalAsFloat',
        'DANGEROUS DIRECTIVE_USAGE_ARGUMENT_CHANGED .@contract.changePolicy',
        'DANGEROUS DIRECTIVE_USAGE_ARGUMENT_CHANGED .@contract.description',
        'NON_BREAKING FIELD_ADDED CustomerOrderTimeline.cancellationReason',
        'NON_BREAKING FIELD_ADDED CustomerOrderTimeline.cancelledAt',
        'NON_BREAKING FIELD_ADDED CustomerOrderTimeline.salesChannel',
        'NON_BREAKING TYPE_ADDED CancellationReason',
        'NON_BREAKING TYPE_ADDED SalesChannel',
      ].sort(),
    );
    const policy = changes.find((c) => c.path === '.@contract.changePolicy')!;
    expect(policy.before).toContain('within v1');
    expect(policy.after).toContain('within v2');
    expect(changes.find((c) => c.path === 'CustomerOrderTimeline.orderStatus')!.message).toContain('(deprecated) was removed');
  });

  it('finds nothing between a version and itself', async () => {
    expect(await diffContractVersions(version('customer_order_timeline', 2).schema, version('customer_order_timeline', 2).schema)).toEqual([]);
  });

  it("says a changed field directive's argument once, with its values, and an added directive use without its arguments", async () => {
    const sdl = (from: string, extra: string) => buildSchema(`${contractDirectivesSdl}\ntype Query { a: String @from(subgraph: "${from}", field: "Query.a") ${extra} }`);
    const changes = await diffContractVersions(sdl('orders/v1', ''), sdl('orders/v2', '@classification(level: PII)'));
    expect(changes.map((c) => [c.type, c.path, c.before, c.after]).sort()).toEqual([
      ['DIRECTIVE_USAGE_ARGUMENT_CHANGED', 'Query.a.@from.subgraph', '"orders/v1"', '"orders/v2"'],
      ['DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED', 'Query.a.@classification', null, null],
    ]);
  });
});
