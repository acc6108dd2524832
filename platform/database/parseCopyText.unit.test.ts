import { describe, expect, it } from 'vitest';
import { parseCopyLine, parseCopyText } from './parseCopyText.js';

async function collect(chunks: Uint8Array[]) {
  const rows = [];
  for await (const batch of parseCopyText(chunks)) rows.push(...batch);
  return rows;
}

describe('parseCopyText', () => {
  it('reads NULL, escaped backslashes, control characters and the delimiter', () => {
    // A tab in a value is always written `\t` (the delimiter is a control character), never raw.
    expect(parseCopyLine('a\t\\N\t\\\\x\\ty\\nz\t')).toEqual(['a', null, '\\x\ty\nz', '']);
    expect(parseCopyLine('{"k" : "q\\\\"x"}')).toEqual(['{"k" : "q\\"x"}']);
    expect(parseCopyLine('\\b\\f\\r\\v')).toEqual(['\b\f\r\v']);
  });

  it('gives the same rows wherever the chunks split, even inside a multi-byte character', async () => {
    const text = 'ö\\tä\t€\\N\n\\N\tx\n𝄞\t\\\\\n';
    const bytes = Buffer.from(text, 'utf8');
    const whole = await collect([bytes]);
    expect(whole).toEqual([
      ['ö\tä', '€N'],
      [null, 'x'],
      ['𝄞', '\\'],
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(await collect([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('refuses output that stops inside a row', async () => {
    await expect(collect([Buffer.from('a\tb\nc\t')])).rejects.toThrow(/ended inside a row/);
  });
});
