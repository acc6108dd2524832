import { describe, expect, it } from 'vitest';
import { requestTarget } from './requestTarget.js';

describe('requestTarget', () => {
  it('gives what the URL parser gives, for plain paths and for everything else', () => {
    const targets = ['/', '', '/contracts/customer_order_timeline/v2', '/contracts/x/v1/', '/health', '//evil/x', '/a//b', '/a/../b', '/a/./b', '/a%20b', '/a b', '/a?x=1', '/a#f', '/caf\u00e9', '/a\\b', '/A-Z_09', 'http://other/a', '/a;b', '/.', '/..'];
    for (const target of targets) {
      const url = new URL(target || '/', 'http://localhost');
      expect(requestTarget(target || undefined), target).toEqual({ pathname: url.pathname, search: url.search });
    }
  });
});
