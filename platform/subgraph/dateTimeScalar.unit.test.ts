import { parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { dateTimeScalar } from './dateTimeScalar.js';

describe('the DateTime scalar', () => {
  it('reads RFC 3339 timestamps with any offset, and prints UTC with milliseconds', () => {
    expect(dateTimeScalar.parseValue('2026-11-02T08:00:00.000Z')).toEqual(new Date(Date.UTC(2026, 10, 2, 8)));
    expect(dateTimeScalar.parseValue('2026-11-02T09:00:00+01:00')).toEqual(new Date(Date.UTC(2026, 10, 2, 8)));
    expect(dateTimeScalar.parseValue('2026-11-02t08:00:00z')).toEqual(new Date(Date.UTC(2026, 10, 2, 8)));
    expect(dateTimeScalar.parseLiteral(parseValue('"2028-02-29T00:00:00Z"'))).toEqual(new Date(Date.UTC(2028, 1, 29)));
    expect(dateTimeScalar.serialize(new Date(Date.UTC(2026, 10, 2, 8)))).toBe('2026-11-02T08:00:00.000Z');
  });

  it('refuses what is not a real instant in the supported years, instead of rolling it over', () => {
    for (const bad of ['2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-02T24:00:00Z', '2026-12-31T23:59:60Z', '2026-12-06T10:00Z', '2026-11-02', 'yesterday', '0000-01-01T00:00:00Z', '9999-12-31T00:00:00Z', '2027-02-29T00:00:00Z', 1_767_225_600_000]) {
      expect(() => dateTimeScalar.parseValue(bad), String(bad)).toThrow(/DateTime must be an RFC 3339 timestamp with a real date and time, years 1900 to 9998/);
    }
    expect(() => dateTimeScalar.parseLiteral(parseValue('42'))).toThrow(/must be a string/);
  });
});
