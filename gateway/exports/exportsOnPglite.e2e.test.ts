import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createMemoryCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPgliteDatabase } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createOrdersSimulator } from '../../subgraphs/orders/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../../subgraphs/orders/index.js';
import { openTestAccess } from '../../test/support/gatewayAccess.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import type { Gateway } from '../createGateway.js';
import { createGateway } from '../createGateway.js';
import { listen } from '../http/listen.js';
import type { OpenedAccess } from '../openAccess.js';
import type { ExportManifest } from './index.js';

const PARTNER_ROW = 'orderId salesChannel orderLifecycleState orderPlacedAt commercialCommitmentAt cancelledAt orderTotal { amount currency } orderLines { lineId sku quantity } customerToken customerEmailMasked shippingPostalCodeMasked shippingCountry';

/**
 * The embedded default (`npm start` with no URLs): the same export on PGlite, files on local disk,
 * through the gateway's own routing (createGateway's `exports` option).
 */
describe('bulk exports on the embedded database (PGlite)', () => {
  let db: Database;
  let cache: Cache;
  let log: EventLog;
  let projector: Projector;
  let gateway: Gateway;
  let access: OpenedAccess;
  let server: Server;
  let url: string;
  let directory: string;
  let bearer: (who: 'partner') => Record<string, string>;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    cache = createMemoryCache();
    log = createEmbeddedEventLog();
    await produceAll(log, createOrdersSimulator({ seed: 5, startTime: Date.now() - 3_600_000 }).nextOrders(120).records);
    projector = createProjector({ log, db }, ordersContext, { schema: 'orders', batchSize: 200 });
    await projector.start();
    await waitUntilCaughtUp(db, log, 'orders', [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
    ({ access, bearer } = await openTestAccess({ db, cache }, 'gateway'));
    directory = await mkdtemp(join(tmpdir(), 'dpg-exports-pglite-'));
    // The gateway as `npm start` composes it: exports wired by createGateway, not by this test.
    gateway = await createGateway({ db, log, cache }, access, { freshness: { ttlMs: 0 }, exports: { directory } });
    ({ server, url } = await listen(gateway.handle, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server?.close();
    await gateway?.stop();
    await access?.close();
    await projector?.stop();
    await db?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('exports the partner’s rows as the changes feed gives them, with a checksum that matches the download', async () => {
    const created = await fetch(`${url}/exports`, { method: 'POST', headers: { ...bearer('partner'), 'content-type': 'application/json' }, body: JSON.stringify({ contract: 'partner_order_status', version: 1 }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    let job: { status: string; manifest: ExportManifest };
    for (let polls = 0; ; polls++) {
      job = (await (await fetch(`${url}/exports/${id}`, { headers: bearer('partner') })).json()) as typeof job;
      if (job.status !== 'QUEUED' && job.status !== 'RUNNING') break;
      if (polls > 600) throw new Error(`export still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toBe('SUCCEEDED');
    const { manifest } = job;
    const bytes = Buffer.from(await (await fetch(`${url}/exports/${id}/file`, { headers: bearer('partner') })).arrayBuffer());
    expect(manifest.file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const rows = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

    const feed: unknown[] = [];
    let since: string | null = null;
    for (;;) {
      const { body } = await postGraphQL(`${url}/contracts/partner_order_status/v1`, `query($since: Cursor) { changes(since: $since, first: 50) { nodes { ${PARTNER_ROW} } endCursor hasMore } }`, { variables: { since }, headers: bearer('partner') });
      const page = body.data!.changes as { nodes: unknown[]; endCursor: string | null; hasMore: boolean };
      feed.push(...page.nodes);
      since = page.endCursor;
      if (!page.hasMore) break;
    }
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(feed);
    expect(manifest).toMatchObject({ rows: rows.length, endCursor: since, freshness: [expect.objectContaining({ projection: 'order_timeline', status: 'FRESH' })] });

    const raw = (await db.query<{ customer_email: string; shipping_line1: string; sales_channel: string }>('select customer_email, shipping_line1, sales_channel from orders.orders')).rows;
    expect(rows.length).toBe(raw.filter((o) => o.sales_channel === 'marketplace').length);
    const text = gunzipSync(bytes).toString('utf8');
    expect(raw.flatMap((o) => [o.customer_email, o.shipping_line1]).filter((secret) => text.includes(secret))).toEqual([]);
  });
});
