import { describe, expect, it } from 'vitest';
import { asOneByte, RawJson, stringifyWithRawJson } from './RawJson.js';

describe('stringifyWithRawJson', () => {
  const text = '[{"orderId" : "o-1", "lines" : [{"sku" : "s\\"1"}]}, {"orderId" : "o-2", "lines" : []}]';

  it('writes RawJson values of data as their text, the rest as JSON.stringify does, in the same key order', () => {
    const response = { errors: undefined, data: { first: new RawJson(text, 2), one: { a: 1, b: undefined }, none: null }, extensions: { freshness: [{ status: 'FRESH' }] } };
    const printed = stringifyWithRawJson(response);
    expect(JSON.parse(printed)).toEqual({ data: { first: JSON.parse(text), one: { a: 1 }, none: null }, extensions: { freshness: [{ status: 'FRESH' }] } });
    expect(printed).toBe(JSON.stringify({ ...response, data: { ...response.data, first: '@' } }).replace('"@"', text));
  });

  it('is JSON.stringify when data holds no RawJson, and RawJson reads as its value anywhere else', () => {
    const response = { data: { a: [1, 2] }, extensions: { x: 'y' } };
    expect(stringifyWithRawJson(response)).toBe(JSON.stringify(response));
    expect(stringifyWithRawJson({ errors: [{ message: 'm' }] })).toBe('{"errors":[{"message":"m"}]}');
    expect(JSON.stringify({ page: new RawJson(text, 2) })).toBe(JSON.stringify({ page: JSON.parse(text) }));
  });

  it('splices RawJson values of extensions too, and prints a two-byte piece of Latin-1 text one byte per character', () => {
    const lineage = new RawJson('{"a.b":[{"field":"T.b"}]}', 1);
    const response = { data: { a: { b: 1 } }, extensions: { lineage, freshnessStatus: 'FRESH' } };
    expect(stringifyWithRawJson(response)).toBe('{"data":{"a":{"b":1}},"extensions":{"lineage":{"a.b":[{"field":"T.b"}]},"freshnessStatus":"FRESH"}}');
    expect(stringifyWithRawJson(response)).toBe(JSON.stringify(response));
    const twoByte = 'x—y'.slice(0, 1);
    expect(asOneByte(twoByte)).toBe('x');
    expect(asOneByte('a—b')).toBe('a—b');
  });
});

