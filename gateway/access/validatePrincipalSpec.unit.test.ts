import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, normaliseKeyPrefix, parseApiKey } from './parseApiKey.js';
import { validatePrincipalSpec } from './validatePrincipalSpec.js';

describe('validatePrincipalSpec', () => {
  it('accepts a scoped partner and an internal principal, normalising duplicates', () => {
    const partner = validatePrincipalSpec({ name: 'acme', audience: 'PARTNER', contracts: ['partner_order_status/v1', 'partner_order_status/v1'], rights: ['export', 'export'], rowScope: { salesChannel: ['MARKETPLACE', 'MARKETPLACE'] } });
    expect(partner).toEqual({ ok: true, value: { name: 'acme', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } } });
    const internal = validatePrincipalSpec({ name: 'bi-team', audience: 'INTERNAL', contracts: ['*'] });
    expect(internal).toEqual({ ok: true, value: { name: 'bi-team', audience: 'INTERNAL', contracts: ['*'], rights: [], rowScope: null } });
  });

  it('reports every problem at once, each naming the field, what it received and the fix', () => {
    const result = validatePrincipalSpec({ name: 'prn_sneaky', audience: 'EXTERNAL', contracts: ['orders', '*'], rights: ['admin'], rowScope: { salesChannel: [] } });
    expect(result.ok).toBe(false);
    const byField: Record<string, string> = {};
    for (const p of result.ok ? [] : result.problems) byField[p.field] = byField[p.field] ? `${byField[p.field]}\n${p.message}` : p.message;
    expect(byField.name).toMatch(/^name is "prn_sneaky"; .*not start with "prn_".*Fix:/);
    expect(byField.audience).toBe('audience is "EXTERNAL"; it must be "INTERNAL" or "PARTNER". Fix: INTERNAL for teams inside the company, PARTNER for an external integration.');
    expect(byField.contracts).toMatch(/contracts has "orders", not of the form name\/vN or \*\. Fix: write each contract version as name\/vN/);
    expect(byField.contracts).toContain('contracts is ["orders","*"]: "*" already grants every contract. Fix: ["*"] alone, or only the named versions.');
    expect(byField.rights).toBe('rights has "admin", not a right. Fix: use only operate, export, steward.');
    expect(byField.rowScope).toBe('rowScope.salesChannel is empty: it would match no rows. Fix: list the values it may see, or drop the dimension.');
  });

  it('holds partners to explicit contracts, a row scope and no operate right', () => {
    const result = validatePrincipalSpec({ name: 'loose', audience: 'PARTNER', contracts: [], rights: ['operate'], rowScope: {} });
    const messages = !result.ok ? result.problems.map((p) => p.message) : [];
    expect(messages).toEqual([
      'contracts is empty for a PARTNER; it could query nothing. Fix: list its contract versions, e.g. ["partner_order_status/v1"].',
      'rights gives a PARTNER "operate", which reaches /admin and the unredacted subgraph endpoints. Fix: drop operate; operators are INTERNAL principals.',
      'rowScope is {} for a PARTNER: no dimension limits its rows. Fix: give at least one dimension, e.g. {"salesChannel":["MARKETPLACE"]}.',
    ]);
  });
});

describe('API key format', () => {
  it('is dpg_ + 8 lowercase characters + _ + 43 base64url characters, and parses to its prefix', () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^dpg_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ prefix });
    expect(prefix).toBe(key.slice(0, 12));
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey(key.toUpperCase())).toBeNull();
    expect(hashApiKey(key)).toHaveLength(32);
    expect(normaliseKeyPrefix('abcd2345')).toBe('dpg_abcd2345');
    expect(new Set(Array.from({ length: 100 }, () => generateApiKey().key)).size).toBe(100);
  });
});
