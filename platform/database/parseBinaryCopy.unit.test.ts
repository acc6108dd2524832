import { describe, expect, it } from 'vitest';
import { encodeBinaryCopy } from './encodeBinaryCopy.js';
import { parseBinaryCopy } from './parseBinaryCopy.js';

const whole = (payload: ReturnType<typeof encodeBinaryCopy>) => Buffer.concat([payload].flat());

describe('parseBinaryCopy', () => {
  it('reads back what the binary COPY encoder writes: bytes, NULL, empty values', () => {
    const data = whole(encodeBinaryCopy(['bytea', 'int4', 'text'], [[Buffer.from([0, 255, 1]), 7, 'ü'], [null, null, ''], [Buffer.alloc(0), -1, null]]));
    const rows = parseBinaryCopy(data);
    expect(rows).toHaveLength(3);
    expect(rows[0]![0]).toEqual(Buffer.from([0, 255, 1]));
    expect(rows[0]![1]!.readInt32BE(0)).toBe(7);
    expect(rows[0]![2]!.toString('utf8')).toBe('ü');
    expect(rows[1]).toEqual([null, null, Buffer.alloc(0)]);
    expect(rows[2]![0]).toEqual(Buffer.alloc(0));
    expect(rows[2]![2]).toBeNull();
    expect(parseBinaryCopy(whole(encodeBinaryCopy(['int4'], [])))).toEqual([]);
  });

  it('refuses output without the signature, cut short, or with a field running past the end', () => {
    const data = whole(encodeBinaryCopy(['bytea'], [[Buffer.from('abcdef')]]));
    expect(() => parseBinaryCopy(Buffer.from('COPY'))).toThrow(/signature/);
    expect(() => parseBinaryCopy(data.subarray(0, data.length - 2))).toThrow(/before the trailer/);
    expect(() => parseBinaryCopy(data.subarray(0, data.length - 5))).toThrow(/runs past the end/);
  });
});
