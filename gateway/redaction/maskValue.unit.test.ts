import { describe, expect, it } from 'vitest';
import { maskValue } from './maskValue.js';

describe('maskValue: the documented masks', () => {
  it.each([
    ['EMAIL', 'jane.doe@example.test', 'j***@example.test'],
    ['EMAIL', 'no-at-sign', '***'],
    ['EMAIL', '@example.test', '***'],
    ['EMAIL', '😀x@example.test', '😀***@example.test'],
    ['POSTAL_CODE', '10115', '10***'],
    ['POSTAL_CODE', 'SW1A 1AA', 'SW***'],
    ['POSTAL_CODE', '123', '***'],
    ['NAME', 'Jane Mary Doe', 'J. M. D.'],
    ['NAME', 'jean-luc picard', 'J. L. P.'],
    ['NAME', '   ', '***'],
    ['TEXT', 'anything at all', '***'],
  ] as const)('%s %j → %j', (kind, value, masked) => {
    expect(maskValue(kind, value)).toBe(masked);
  });
});
