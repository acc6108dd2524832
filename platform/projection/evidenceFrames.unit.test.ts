import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../eventLog/index.js';
import { decodeEvidenceFrames, encodeEvidenceFrames } from './evidenceFrames.js';

describe('evidence frames', () => {
  it('given records with null keys, tombstones, binary bytes and headers, then decoding gives them back exactly', () => {
    const records: LogRecord[] = [
      { topic: 't', partition: 3, offset: 0, key: null, value: Buffer.from('{"a":1}'), headers: {}, timestamp: 1_767_225_600_123 },
      { topic: 't', partition: 3, offset: 9_007_199_254_740_000, key: Buffer.from([0, 255, 1]), value: null, headers: { trace: 'x', 'ü': '€' }, timestamp: 0 },
      { topic: 't', partition: 3, offset: 7, key: Buffer.alloc(0), value: Buffer.alloc(0), headers: {}, timestamp: 5 },
      // Times before 1970 are negative: the int8 halves must carry the sign.
      { topic: 't', partition: 3, offset: 4_294_967_296, key: null, value: null, headers: {}, timestamp: -1 },
      { topic: 't', partition: 3, offset: 4_294_967_295, key: null, value: null, headers: {}, timestamp: -4_294_967_297 },
    ];
    expect(decodeEvidenceFrames('t', 3, encodeEvidenceFrames(records))).toEqual(records);
  });

  it('given text PostgreSQL cannot store in a header, then it is replaced and the bytes of key and value are kept', () => {
    const record: LogRecord = { topic: 't', partition: 0, offset: 1, key: Buffer.from('k'), value: Buffer.from([0]), headers: { 'a\u0000': 'b\ud800' }, timestamp: 1 };
    expect(decodeEvidenceFrames('t', 0, encodeEvidenceFrames([record]))).toEqual([{ ...record, headers: { 'a\uFFFD': 'b\uFFFD' } }]);
  });

  it('given bytes that are not frames, then decoding fails with a coded error naming the partition', () => {
    expect(() => decodeEvidenceFrames('t', 2, Buffer.from([0, 0, 0, 1]))).toThrow(/evidence of t\/2/);
  });
});
