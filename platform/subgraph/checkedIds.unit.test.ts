import { describe, expect, it } from 'vitest';
import { checkedIds, MAX_IDS_PER_LOOKUP } from './checkedIds.js';

describe('batch lookups', () => {
  it('take at most MAX_IDS_PER_LOOKUP keys, and say so precisely', () => {
    const ids = Array.from({ length: MAX_IDS_PER_LOOKUP }, (_, i) => `id-${i}`);
    expect(checkedIds('thingsByIds(ids)', ids)).toBe(ids);
    expect(() => checkedIds('thingsByIds(ids)', [...ids, 'one-more'])).toThrow('thingsByIds(ids) takes at most 1000 ids per request, received 1001; split the batch.');
  });
});
