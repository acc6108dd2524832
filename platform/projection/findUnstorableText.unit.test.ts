import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesMayHoldUnstorableText, findUnstorableText, toStorableText } from './findUnstorableText.js';

describe('findUnstorableText', () => {
  it('finds NUL characters and unpaired surrogates in strings, keys and arrays, naming the path', () => {
    expect(findUnstorableText({ data: { lines: [{ sku: 'ok' }, { sku: 'a\u0000b' }] } })).toEqual({ path: 'data.lines[1].sku', what: 'a NUL character (U+0000)' });
    expect(findUnstorableText({ data: { 'x\ud800': 1 } })).toEqual({ path: 'data.x\ud800', what: 'an unpaired UTF-16 surrogate' });
    expect(findUnstorableText(['\udc00'])).toEqual({ path: '[0]', what: 'an unpaired UTF-16 surrogate' });
    expect(findUnstorableText('\u0000')).toEqual({ path: '(value)', what: 'a NUL character (U+0000)' });
  });

  it('accepts what PostgreSQL stores: any valid Unicode, paired surrogates (emoji) included', () => {
    expect(findUnstorableText({ name: '👩‍👩‍👧 e\u0301 \u202e', n: 1e308, ok: true, none: null, list: [] })).toBeNull();
    expect(findUnstorableText(undefined)).toBeNull();
  });
});

describe('toStorableText', () => {
  it('replaces only what PostgreSQL cannot store with U+FFFD', () => {
    expect(toStorableText('a\u0000b\ud800c\udc00😀')).toBe('a\ufffdb\ufffdc\ufffd😀');
    expect(toStorableText('plain')).toBe('plain');
  });
});

describe('findUnstorableText on deep values', () => {
  it('given a NUL deep in arrays of objects, then it names the path; a paired surrogate next to it is not what it reports', () => {
    expect(findUnstorableText({ a: [{ b: '😀' }, { c: [1, 'x', { d: 'y\u0000' }] }] })).toEqual({ path: 'a[1].c[2].d', what: 'a NUL character (U+0000)' });
    expect(findUnstorableText({ a: [{ b: '😀' }, { c: [1, 'x', { d: 'y' }] }] })).toBeNull();
  });
});

describe('bytesMayHoldUnstorableText', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  it('given a NUL byte or a \\u escape, then it cannot prove the text storable; without them, it can', () => {
    expect(bytesMayHoldUnstorableText(null)).toBe(false);
    expect(bytesMayHoldUnstorableText(bytes('{"sku":"a-1","name":"😀 e\u0301"}'))).toBe(false);
    expect(bytesMayHoldUnstorableText(bytes('{"a":"x\\\\u0000"}'))).toBe(false);
    expect(bytesMayHoldUnstorableText(bytes('{"a":"\\u0000"}'))).toBe(true);
    expect(bytesMayHoldUnstorableText(bytes('{"a":"\\\\\\ud800"}'))).toBe(true);
    expect(bytesMayHoldUnstorableText(bytes('{"a":"\\"\\u00e9"}'))).toBe(true);
    expect(bytesMayHoldUnstorableText(Buffer.from([0x61, 0x00, 0x62]))).toBe(true);
    // A surrogate encoded in UTF-8 (CESU-style) is not UTF-8: Node decodes it as U+FFFD.
    const encodedSurrogate = Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]);
    expect(bytesMayHoldUnstorableText(encodedSurrogate)).toBe(false);
    expect(findUnstorableText(JSON.parse(encodedSurrogate.toString('utf8')))).toBeNull();
  });

  it('given any JSON text or bytes it does not flag, then what JSON.parse makes of them is storable', () => {
    const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), fc.constantFrom('\u0000', '\ud800', 'a\\u', '\\', '😀'));
    const jsonBytes = fc.oneof(
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v), 'utf8')),
      fc.array(anyText).map((v) => Buffer.from(JSON.stringify(v), 'utf8')),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    let proven = 0;
    fc.assert(
      fc.property(jsonBytes, (value) => {
        if (bytesMayHoldUnstorableText(value)) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(value.toString('utf8'));
        } catch {
          return;
        }
        proven++;
        expect(findUnstorableText(parsed)).toBeNull();
      }),
      { numRuns: 2000 },
    );
    expect(proven).toBeGreaterThan(100);
  });
});
