import type { Server } from 'node:http';
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../platform/cache/index.js';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPgliteDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { TestPrincipalName } from '../test/support/gatewayAccess.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import type { Gateway } from './createGateway.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';
import type { OpenedAccess } from './openAccess.js';

/**
 * Every GraphQL endpoint passes the GraphQL-over-HTTP spec's own audit suite (graphql-http's
 * `auditServer`) with no warning and no error, on the embedded defaults, as its principal.
 */
describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  let db: Database;
  let cache: Cache;
  let access: OpenedAccess;
  let bearer: (who: TestPrincipalName) => Record<string, string>;
  let gateway: Gateway;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    cache = createMemoryCache();
    ({ access, bearer } = await openTestAccess({ db, cache }, 'gateway'));
    gateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access);
    ({ server, url } = await listen(gateway.handle, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server?.close();
    await gateway?.stop();
    await access?.close();
    await db?.close();
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
