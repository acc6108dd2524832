import { describe, expect, it } from 'vitest';
import { findUnstorableText, toStorableText } from './findUnstorableText.js';

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
