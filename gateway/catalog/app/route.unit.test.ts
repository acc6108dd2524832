import { describe, expect, it } from 'vitest';
import type { Route } from './route.js';
import { hrefOf, parseRoute } from './route.js';

describe('catalog app routes', () => {
  it('reads back every route it writes', () => {
    const routes: Route[] = [
      { page: 'search', text: '', filters: {} },
      { page: 'search', text: 'customer email', filters: { OWNER: ['orders-domain-team', 'finance controlling'], PII: ['yes'] } },
      { page: 'contract', name: 'customer_order_timeline', version: 2 },
      { page: 'field', name: 'partner_order_status', version: 1, coordinate: 'PartnerOrderStatus.orderId' },
      { page: 'lineage', node: 'column:order_timeline/orders.order_id' },
      { page: 'lineage', node: 'source:legacy-oms (ORDERS, ORDER_LINES via CDC, translated)' },
      { page: 'deprecations' },
      { page: 'flows' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });

  it('says not-found for an address it does not know', () => {
    for (const hash of ['#/contracts/x', '#/contracts/x/2', '#/contracts/x/v2/other/y', '#/nope']) expect(parseRoute(hash)).toEqual({ page: 'not-found', hash });
    expect(parseRoute('')).toEqual({ page: 'search', text: '', filters: {} });
  });
});
