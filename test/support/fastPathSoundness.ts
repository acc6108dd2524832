import fc from 'fast-check';
import { expect } from 'vitest';

// Proof harness for the decoders' fast paths ("fast accept, zod explains", platform/events/fastChecks.ts):
// over valid inputs and their mutations, whenever the fast path accepts, zod must accept too and
// return an equal value. A fast path that accepts nothing would pass that, so it must also accept
// the valid inputs it is given.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that sit on or beside the edge of some check: types, lengths, integers, formats, enums, text PostgreSQL refuses. */
export const EDGE_VALUES: readonly Json[] = [
  null, true, false, [], {}, [1], { x: 1 },
  0, -0, 1, -1, 2, 1.5, -1.5, 0.1, 1e21, 2 ** 31, 2 ** 53 - 1, 2 ** 53, -(2 ** 53) + 1, -(2 ** 53), 12345678901234567890, Number.MAX_VALUE, 5e-324,
  '', ' ', 'a', 'ab', 'abc', 'x'.repeat(300), '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ud83d\ude00', '1', '-0', '1.5',
  '12', '12.3', '12.30', '-12.30', '1.005', '1e3', ' 1.00', '.50', '123456789012', '1234567890123', '123456789012.99', '0.00', '-', '12.',
  'EUR', 'eur', 'EURO', 'E1R', 'DE', 'de', 'DEU', 'D',
  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00-23:59', '2024-02-29T12:00:00Z',
  '2026-02-29T12:00:00Z', '2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00',
  '2026-01-01 00:00:00Z', '2026-01-01T00:00:00z', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00.Z', '2026-01-01', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z',
  'web', 'Web', 'store', 'marketplace', 'customer_request', 'fraud', 'out_of_stock', 'payment_failed', 'bored',
  'OrderPlaced', 'OrderLineAmended', 'OrderConfirmed', 'OrderCancelled', 'c', 'u', 'd', 'r', 'x', 'ORDERS', 'ORDER_LINES', 'orders', 'W', 'S', 'M', 'CUST',
];

/** Keys an object should not have: unknown ones, and those JavaScript treats specially. */
const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

const clone = <T>(value: T): T => structuredClone(value);

/** An own enumerable key, even `__proto__` (as JSON.parse makes it). */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/**
 * Every variant of `value` that differs from it in one place: each subtree replaced by each edge
 * value, each key removed, each object given an extra key, each array emptied, its first element
 * duplicated or dropped.
 */
export function singleMutations(value: unknown): unknown[] {
  const variants: unknown[] = [];
  const visit = (node: Json, rebuild: (replacement: unknown) => unknown) => {
    for (const edge of EDGE_VALUES) variants.push(rebuild(clone(edge)));
    if (Array.isArray(node)) {
      variants.push(rebuild([]));
      if (node.length > 0) {
        variants.push(rebuild([...clone(node), clone(node[0]!)]));
        variants.push(rebuild(clone(node).slice(1)));
      }
      node.forEach((item, i) => visit(item, (replacement) => rebuild(clone(node).map((x, j) => (j === i ? replacement : x)))));
    } else if (node !== null && typeof node === 'object') {
      for (const key of EXTRA_KEYS) variants.push(rebuild(withKey(clone(node), key, 1)));
      for (const key of Object.keys(node)) {
        const { [key]: _removed, ...rest } = clone(node);
        variants.push(rebuild(rest));
        visit(node[key]!, (replacement) => rebuild({ ...clone(node), [key]: replacement }));
      }
    }
  };
  visit(value as Json, (replacement) => replacement);
  return variants;
}

/** Random variants with several changes at once (fast-check, seeded): pairs of single mutations composed. */
export function multiMutations(value: unknown, count: number, seed = 1): unknown[] {
  const singles = singleMutations(value);
  return fc.sample(fc.tuple(fc.constantFrom(...singles), fc.constantFrom(...singles)), { numRuns: count, seed }).flatMap(([a, b]) => {
    // Compose: where b differs from value at top-level keys, take b's; else a.
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return [a, b];
    const merged = clone(a) as Record<string, unknown>;
    for (const key of Object.keys(b)) if (JSON.stringify((b as Record<string, unknown>)[key]) !== JSON.stringify((value as Record<string, Json>)[key])) withKey(merged, key, (b as Record<string, unknown>)[key]);
    return [merged];
  });
}

export interface SoundnessCounts {
  inputs: number;
  /** Accepted by the fast path (and, checked, by zod with an equal value). */
  accepted: number;
  /** Accepted by zod although the fast path declined: fine (zod decides them), counted to show the margin. */
  declinedValid: number;
}

/**
 * Asserts, for every input: the fast path accepts ⇒ zod accepts, and zod's output equals the fast
 * path's (deep, strict). `valid` inputs must all be accepted by the fast path.
 */
export function expectSoundFastPath<T>(
  check: { fast: (input: unknown) => T | null; zod: (input: unknown) => { success: true; data: T } | { success: false } },
  valid: readonly unknown[],
  mutated: readonly unknown[],
): SoundnessCounts {
  const counts: SoundnessCounts = { inputs: 0, accepted: 0, declinedValid: 0 };
  for (const input of valid) expect(check.fast(clone(input)), `the fast path must accept ${JSON.stringify(input)}`).not.toBeNull();
  for (const input of [...valid, ...mutated]) {
    counts.inputs++;
    const fast = check.fast(clone(input));
    const zod = check.zod(clone(input));
    if (fast === null) {
      if (zod.success) counts.declinedValid++;
      continue;
    }
    counts.accepted++;
    expect(zod.success, `zod rejects what the fast path accepted: ${JSON.stringify(input)}`).toBe(true);
    if (zod.success) expect(fast, `outputs differ for ${JSON.stringify(input)}`).toStrictEqual(zod.data);
  }
  return counts;
}
