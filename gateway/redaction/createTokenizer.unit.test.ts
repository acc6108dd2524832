import { describe, expect, it } from 'vitest';
import { createTokenizer } from './createTokenizer.js';

describe('createTokenizer', () => {
  const tokenizer = createTokenizer('test-tokenization-secret-0123456789abcdef', { cacheSize: 2 });

  it('gives one principal one stable token per value, another principal another', () => {
    const token = tokenizer.tokenize('prn_a', 'cus-1');
    expect(token).toMatch(/^tok_[A-Za-z0-9_-]{43}$/);
    expect(tokenizer.tokenize('prn_a', 'cus-1')).toBe(token);
    expect(tokenizer.tokenize('prn_b', 'cus-1')).not.toBe(token);
    expect(tokenizer.tokenize('prn_a', 'cus-2')).not.toBe(token);
  });

  it('gives the same tokens on its bulk side (no cache), before, after and past evictions of the cache', () => {
    const values = ['cus-1', 'cus-2', 'cus-3', 'zoë', ''];
    const first = values.map((v) => tokenizer.bulk.tokenize('prn_a', v));
    expect(values.map((v) => tokenizer.tokenize('prn_a', v))).toEqual(first);
    expect(values.map((v) => tokenizer.tokenize('prn_a', v))).toEqual(first);
    expect(values.map((v) => tokenizer.bulk.tokenize('prn_a', v))).toEqual(first);
    expect(tokenizer.bulk.bulk).toBe(tokenizer.bulk);
    expect(createTokenizer('another-secret-0123456789abcdef0123456789').bulk.tokenize('prn_a', 'cus-1')).not.toBe(first[0]);
  });
});
