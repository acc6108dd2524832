import { describe, expect, it } from 'vitest';
import { isSubgraphError, SubgraphErrorCode } from './SubgraphError.js';
import { validateRowScope } from './validateRowScope.js';

const declared = { salesChannel: { description: 'The channel.', values: ['WEB', 'STORE', 'MARKETPLACE'] } };

describe('validateRowScope', () => {
  it('given no scope, then there is no restriction', () => {
    expect(validateRowScope('orders/v2', declared, null)).toBeNull();
    expect(validateRowScope('orders/v2', declared, undefined)).toBeNull();
  });

  it('given declared dimensions and values (or none at all), then the scope is kept as given', () => {
    expect(validateRowScope('orders/v2', declared, { salesChannel: ['MARKETPLACE'] })).toEqual({ salesChannel: ['MARKETPLACE'] });
    expect(validateRowScope('orders/v2', declared, { salesChannel: [] })).toEqual({ salesChannel: [] });
  });

  it('given an unknown dimension or value, then it throws ROW_SCOPE_INVALID naming each problem and what is allowed', () => {
    const attempt = () => validateRowScope('orders/v2', declared, { salesChannel: ['marketplace', 'WEB'], country: ['DE'] });
    expect(attempt).toThrow(/orders\/v2.*no value "marketplace" \(allowed: WEB, STORE, MARKETPLACE\).*unknown dimension "country" \(orders\/v2 can be restricted by "salesChannel"\)/);
    let caught: unknown;
    try {
      attempt();
    } catch (error) {
      caught = error;
    }
    expect(isSubgraphError(caught, SubgraphErrorCode.RowScopeInvalid)).toBe(true);
    expect(() => validateRowScope('billing/v1', {}, { salesChannel: ['WEB'] })).toThrow(/billing\/v1 can be restricted by nothing/);
  });
});
