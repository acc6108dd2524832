import { describe, expect, it } from 'vitest';
import type { ResponseCacheKeyParts } from './responseCacheKey.js';
import { canonicalJson, responseCacheKey } from './responseCacheKey.js';

const base: ResponseCacheKeyParts = {
  contract: 'customer_order_timeline/v1',
  audience: 'INTERNAL',
  documentHash: 'abc',
  operationName: 'Recent',
  variables: { first: 3, filter: { states: ['OPEN'], since: '2026-01-01' } },
  principalId: 'prn_a',
  rowScope: null,
  rights: ['export', 'operate'],
  versions: { order_timeline: 'orders.events.v1/0@10#0' },
};

describe('responseCacheKey', () => {
  it('is one key for the same variables in any key order', () => {
    expect(responseCacheKey({ ...base, variables: { filter: { since: '2026-01-01', states: ['OPEN'] }, first: 3 } })).toBe(responseCacheKey(base));
    expect(responseCacheKey({ ...base, rights: ['operate', 'export'] })).toBe(responseCacheKey(base));
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('changes with every part an answer depends on', () => {
    const changed: Array<Partial<ResponseCacheKeyParts>> = [
      { contract: 'customer_order_timeline/v2' },
      { audience: 'PARTNER' },
      { documentHash: 'abd' },
      { operationName: null },
      { variables: { ...base.variables, first: 4 } },
      { variables: { ...base.variables, filter: { states: ['OPEN', 'RESOLVED'], since: '2026-01-01' } } },
      { principalId: 'prn_b' },
      { rowScope: { salesChannel: ['MARKETPLACE'] } },
      { rights: ['export'] },
      { versions: { order_timeline: 'orders.events.v1/0@11#0' } },
      { versions: { order_timeline: 'orders.events.v1/0@10#1' } },
      { versions: { ...base.versions, payments: 'payments.events.v1/0@1#0' } },
    ];
    const keys = new Set([responseCacheKey(base), ...changed.map((c) => responseCacheKey({ ...base, ...c }))]);
    expect(keys.size).toBe(changed.length + 1);
  });
});
