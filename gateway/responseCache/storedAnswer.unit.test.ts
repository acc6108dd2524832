import { describe, expect, it } from 'vitest';
import { RawJson, stringifyWithRawJson } from '../http/RawJson.js';
import { printStoredAnswer, readStoredAnswer } from './storedAnswer.js';

describe('stored answers', () => {
  it('read back as stored: RawJson root fields as the same text and rows, others as their values, in key order', () => {
    const page = '[{"orderId" : "o-1", "note" : "a\\nb"}, {"orderId" : "o-2", "note" : "é—"}]';
    const data = { first: new RawJson(page, 2), one: { nodes: [{ a: 1 }], hasMore: false }, none: null, skipped: undefined };
    const printed = printStoredAnswer({ storedAt: 1_700_000_000_000, data });
    const read = readStoredAnswer(printed)!;
    expect(read.storedAt).toBe(1_700_000_000_000);
    expect(Object.keys(read.data)).toEqual(['first', 'one', 'none']);
    expect(read.data.first).toBeInstanceOf(RawJson);
    expect(read.data.first).toEqual(new RawJson(page, 2));
    expect(read.data.one).toEqual({ nodes: [{ a: 1 }], hasMore: false });
    // The response a hit writes is the miss's, byte for byte.
    expect(stringifyWithRawJson({ data: read.data })).toBe(stringifyWithRawJson({ data }));
  });

  it('reads nothing from text of another format or cut short', () => {
    const printed = printStoredAnswer({ storedAt: 1, data: { a: new RawJson('[1,2]', 2) } });
    expect(readStoredAnswer(printed.slice(0, -1))).toBeNull();
    expect(readStoredAnswer(JSON.stringify({ storedAt: 1, data: { a: [1, 2] } }))).toBeNull();
    expect(readStoredAnswer('not json\n[]')).toBeNull();
  });
});
