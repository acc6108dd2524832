import { describe, expect, it } from 'vitest';
import { createCursorSealer } from './createCursorSealer.js';

describe('createCursorSealer', () => {
  const sealer = createCursorSealer('a-server-secret-of-at-least-32-characters');
  const cursor = 'b2MxOjE2NTMzOjc5NjpvcmQtMDAwMDEz';

  it('round-trips for the principal it was sealed for, and always seals one position the same way', () => {
    const sealed = sealer.seal('prn_a', cursor);
    expect(sealed).toMatch(/^c1\./);
    expect(sealed).not.toContain(cursor);
    expect(sealer.seal('prn_a', cursor)).toBe(sealed);
    expect(sealer.unseal('prn_a', sealed)).toBe(cursor);
  });

  it('refuses another principal, another secret, a tampered or foreign string', () => {
    const sealed = sealer.seal('prn_a', cursor);
    expect(sealer.unseal('prn_b', sealed)).toBeNull();
    expect(createCursorSealer('another-server-secret-of-32-characters!!').unseal('prn_a', sealed)).toBeNull();
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(sealer.unseal('prn_a', flipped)).toBeNull();
    expect(sealer.unseal('prn_a', cursor)).toBeNull();
    expect(sealer.unseal('prn_a', 'c1.')).toBeNull();
    expect(sealer.unseal('prn_a', 'c1.!!!')).toBeNull();
  });
});
