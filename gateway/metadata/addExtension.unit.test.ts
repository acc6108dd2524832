import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { addExtension } from './addExtension.js';

const responding = (extensions?: Record<string, unknown>) =>
  ({ response: { body: { kind: 'single', singleResult: { data: {}, extensions } } } }) as unknown as GraphQLRequestContextWillSendResponse<object> & { response: { body: { singleResult: { extensions?: Record<string, unknown> } } } };

describe('addExtension', () => {
  it('gives the keys in the order a copy per extension gives, a key given again in its first place', () => {
    const context = responding({ fromResult: 1 });
    addExtension(context, 'lineage', 'L');
    addExtension(context, 'freshness', 'F');
    addExtension(context, 'lineage', 'L2');
    addExtension(context, 'responseCache', 'C');
    expect(JSON.stringify(context.response.body.singleResult.extensions)).toBe('{"fromResult":1,"lineage":"L2","freshness":"F","responseCache":"C"}');
  });

  it('never changes the extensions object the result came with, nor one another response holds', () => {
    const fromResult = Object.freeze({ fromResult: 1 });
    const first = responding(fromResult);
    addExtension(first, 'a', 1);
    addExtension(first, 'b', 2);
    expect(fromResult).toEqual({ fromResult: 1 });
    // Another response that starts from the first one's extensions (as a stored answer could) gets its own copy.
    const second = responding(first.response.body.singleResult.extensions);
    addExtension(second, 'c', 3);
    expect(first.response.body.singleResult.extensions).toEqual({ fromResult: 1, a: 1, b: 2 });
    expect(second.response.body.singleResult.extensions).toEqual({ fromResult: 1, a: 1, b: 2, c: 3 });
  });
});
