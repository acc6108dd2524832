import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPrincipalName } from '../test/support/gatewayAccess.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';

/**
 * Every GraphQL endpoint passes the GraphQL-over-HTTP spec's own audit suite (graphql-http's
 * `auditServer`) with no warning and no error, on the embedded defaults, as its principal.
 */
describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  let t: TestGateway;
  let bearer: (who: TestPrincipalName) => Record<string, string>;
  let url: string;

  beforeAll(async () => {
    t = await startTestGateway({ prefix: 'http_audit', services: 'embedded' });
    ({ bearer, url } = t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const endpoints: Array<[path: string, who: TestPrincipalName]> = [
    ['/contracts/customer_order_timeline/v1', 'internal'],
    ['/contracts/customer_order_timeline/v2', 'internal'],
    ['/contracts/partner_order_status/v1', 'partner'],
    ['/catalog', 'partner'],
    ['/subgraphs/orders/v2', 'operator'],
  ];
  it.each(endpoints)('%s (as %s): no warning, no error', async (path, who) => {
    const authorized: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), ...bearer(who) } });
    const results = await auditServer({ url: `${url}${path}`, fetchFn: authorized });
    // Notices are for MAY items only: GET queries are refused by Apollo's CSRF prevention on purpose.
    const problems = results.filter((r) => r.status === 'warn' || r.status === 'error').map((r) => `${r.status}: ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(problems).toEqual([]);
    expect(results.filter((r) => r.status === 'notice').every((r) => r.name.startsWith('MAY'))).toBe(true);
    expect(results.length).toBeGreaterThan(20);
  });
});
