import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createRedisCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, projectionStorage } from '../../platform/projection/index.js';
import { createOrdersSimulator } from '../../subgraphs/orders/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext } from '../../subgraphs/orders/index.js';
import type { TestPrincipalName } from '../../test/support/gatewayAccess.js';
import { openTestAccess } from '../../test/support/gatewayAccess.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { postgresUrl, redisUrl, uniqueName } from '../../test/support/services.js';
import type { Principal } from '../access/index.js';
import { isAccessError } from '../access/index.js';
import type { Gateway } from '../createGateway.js';
import { createGateway } from '../createGateway.js';
import { correlationIdOf, GatewayErrorCode, runInRequestScope, sendGatewayError } from '../errors/index.js';
import { listen } from '../http/listen.js';
import { createFreshnessReader } from '../metadata/index.js';
import type { OpenedAccess } from '../openAccess.js';
import type { ExportJobs, ExportManifest } from './index.js';
import { createExportJobs, exportJobsTable } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const PARTNER_CONTRACT = { contract: 'partner_order_status', version: 1 };
/** Every field of the partner's view of PartnerOrderStatus, written out by hand: the export must give exactly this. */
const PARTNER_ROW = 'orderId salesChannel orderLifecycleState orderPlacedAt commercialCommitmentAt cancelledAt orderTotal { amount currency } orderLines { lineId sku quantity } customerToken customerEmailMasked shippingPostalCodeMasked shippingCountry';
/** Orders generated with SQL on top of the simulated ones; two in three are the partner's (marketplace). */
const GENERATED = 30_000;

/**
 * Live heap an export may add while it runs, whatever its size: two pages of 250 rows with their
 * GraphQL results are a few MB (4–5 measured); a job that kept the 20,000 pages' rows until the
 * end measured over 20 MB, so it fails here.
 */
const LIVE_HEAP_BOUND_MB = 12;

// A full collection on demand, to measure what is live rather than what the collector has not
// yet reclaimed. (--expose-gc set at run time; `gc` is then reachable from a new context.)
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

type JobBody = { id: string; status: string; rowsWritten: number; error: { code: string; message: string } | null; manifest: ExportManifest | null; links: { self: string; file: string } };
type ErrorBody = { errors: Array<{ message: string; extensions: { code: string } }> };

/**
 * Bulk exports over real HTTP on PostgreSQL. The bypass matrix extended to exports: a partner's
 * file holds exactly its rows, redacted exactly as the `changes` feed answers the same principal,
 * and no raw personal value of the projection appears in it.
 */
describe('bulk exports: POST /exports, status and manifest, the file', () => {
  let db: Database;
  let cache: Cache;
  let log: EventLog;
  let projector: Projector;
  let gateway: Gateway;
  let access: OpenedAccess;
  let exportJobs: ExportJobs;
  let server: Server;
  let url: string;
  let directory: string;
  let bearer: (who: TestPrincipalName) => Record<string, string>;
  let rawSecrets: Set<string>;
  let marketplaceIds: string[];
  const schema = uniqueName('orders_exports');
  const accessSchema = `${schema}_access`;

  const post = (who: TestPrincipalName, body: unknown) => fetch(`${url}/exports`, { method: 'POST', headers: { ...bearer(who), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (who: TestPrincipalName, path: string) => fetch(`${url}${path}`, { headers: bearer(who) });
  const untilFinished = async (who: TestPrincipalName, id: string, onPoll: () => void = () => undefined): Promise<JobBody> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      onPoll();
      const body = (await (await get(who, `/exports/${id}`)).json()) as JobBody;
      if (body.status === 'SUCCEEDED' || body.status === 'FAILED') return body;
      if (Date.now() > deadline) throw new Error(`export ${id} still ${body.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Every page of the changes feed over HTTP, as the partner's own GraphQL client would read it. */
  const readFeed = async (who: TestPrincipalName, since: string | null) => {
    const nodes: unknown[] = [];
    let cursor = since;
    for (;;) {
      const { body } = await postGraphQL(`${url}/contracts/partner_order_status/v1`, `query($since: Cursor) { changes(since: $since, first: 100) { nodes { ${PARTNER_ROW} } endCursor hasMore } }`, { variables: { since: cursor }, headers: bearer(who) });
      expect(body.errors).toBeUndefined();
      const page = body.data!.changes as { nodes: unknown[]; endCursor: string | null; hasMore: boolean };
      nodes.push(...page.nodes);
      cursor = page.endCursor;
      if (!page.hasMore) return { nodes, endCursor: cursor };
    }
  };
  const download = async (who: TestPrincipalName, id: string) => {
    const response = await get(who, `/exports/${id}/file`);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  /** Fails if a raw personal value of the projection is a whole value in the file, or (10+ characters) anywhere in its text. */
  const expectNoRawPii = (text: string) => {
    const leaves: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') leaves.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    for (const line of text.split('\n').filter(Boolean)) walk(JSON.parse(line));
    expect(leaves.filter((leaf) => rawSecrets.has(leaf)), 'a raw PII value reached the partner').toEqual([]);
    expect(leaves.filter((leaf) => leaf.includes('@') && !leaf.includes('***@')), 'an unmasked email reached the partner').toEqual([]);
    const long = [...rawSecrets].filter((s) => s.length >= 10);
    const sample = long.filter((_, i) => i % Math.ceil(long.length / 400) === 0);
    expect(sample.filter((secret) => text.includes(secret))).toEqual([]);
  };

  /**
   * createGateway's routing of /exports, reproduced around an ExportJobs of this file's own (its
   * job table in this file's schema, its options chosen here): the gateway's authenticator first,
   * then the export routes; every other path to the gateway. exportsOnPglite.e2e.test.ts goes
   * through createGateway's own wiring.
   */
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/exports' && !path.startsWith('/exports/')) return gateway.handle(req, res);
    return runInRequestScope({ correlationId: correlationIdOf(req) }, async () => {
      let principal: Principal;
      try {
        principal = await access.authenticator.authenticate({ ...req.headers, cookie: undefined });
      } catch (error) {
        if (!isAccessError(error)) throw error;
        sendGatewayError(res, GatewayErrorCode.Unauthenticated, error.message);
        return true;
      }
      return exportJobs.handle(req, res, principal);
    });
  };

  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
    cache = await createRedisCache(redisUrl(), { keyPrefix: `${schema}:` });
    log = createEmbeddedEventLog();
    await produceAll(log, createOrdersSimulator({ seed: 11, startTime: Date.now() - 3_600_000, faults: { legacyShare: 0.2 } }).nextOrders(200).records);
    projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 200 });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, TOPICS);

    // 30,000 more orders written straight into the projection tables (names from the projection,
    // the one owner of them), each stamped in the change feed by the same transaction.
    const t = projectionStorage(schema, orderTimelineProjection).tables;
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into ${t.orders!}
         select 'gen-' || lpad(n::text, 6, '0'), 'cus-gen-' || (n % 7000), case when n % 3 = 0 then 'web' else 'marketplace' end, 'EUR',
           'generated.customer' || n || '@example.org', n || ' Generated Boulevard', 'Generated City ' || n, (20000 + n)::text, 'DE',
           case n % 4 when 0 then 'placed' when 3 then 'cancelled' else 'confirmed' end, now() - n * interval '1 minute',
           case when n % 4 in (1, 2) then now() - n * interval '1 minute' + interval '5 minutes' end,
           case when n % 4 = 3 then now() - n * interval '1 minute' + interval '9 minutes' end,
           case when n % 4 = 3 then 'customer_request' end,
           (select sum(k * 9.99) from generate_series(1, 1 + n % 3) k), 2, now()
         from generate_series(1, ${GENERATED}) n`,
      );
      await tx.query(
        `insert into ${t.order_lines!} select 'gen-' || lpad(n::text, 6, '0'), 'line-' || k, 'SKU-' || (n % 97), k, 9.99, k * 9.99
         from generate_series(1, ${GENERATED}) n, generate_series(1, 1 + n % 3) k`,
      );
      await tx.query(`insert into ${t.order_changes!} (order_id, change_xid) select order_id, pg_current_xact_id() from ${t.orders!} where order_id like 'gen-%'`);
    });
    // The feed reads below the oldest transaction in flight anywhere on the server: wait until
    // another test's open transaction no longer hides the generated rows.
    for (let tries = 0; ; tries++) {
      const { rows } = await db.query<{ hidden: number }>(`select count(*)::int as hidden from ${t.order_changes!} where change_xid >= pg_snapshot_xmin(pg_current_snapshot())`);
      if (rows[0]!.hidden === 0) break;
      if (tries > 600) throw new Error('generated rows never became readable in the change feed');
      await new Promise((r) => setTimeout(r, 50));
    }

    const raw = (await db.query<{ order_id: string; customer_id: string; customer_email: string; shipping_line1: string; shipping_city: string; shipping_postal_code: string; sales_channel: string }>(`select order_id, customer_id, customer_email, shipping_line1, shipping_city, shipping_postal_code, sales_channel from ${t.orders!}`)).rows;
    rawSecrets = new Set(raw.flatMap((o) => [o.customer_id, o.customer_email, o.shipping_line1, o.shipping_city, o.shipping_postal_code]));
    marketplaceIds = raw.filter((o) => o.sales_channel === 'marketplace').map((o) => o.order_id).sort();
    expect(marketplaceIds.length).toBeGreaterThan(20_000);

    ({ access, bearer } = await openTestAccess({ db, cache }, accessSchema));
    gateway = await createGateway({ db, log, cache }, access, { projectionSchemas: { orders: schema }, freshness: { ttlMs: 0 } });
    directory = await mkdtemp(join(tmpdir(), 'dpg-exports-'));
    exportJobs = createExportJobs({ db, gateway, audit: access.audit, freshness: createFreshnessReader({ db, log }, new Map([[orderTimelineProjection.name, schema]]), { ttlMs: 0 }) }, { directory, schema: accessSchema });
    await exportJobs.migrate();
    ({ server, url } = await listen(handle, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server?.close();
    await exportJobs?.close();
    await gateway?.stop();
    await access?.close();
    await projector?.stop();
    await cache?.close();
    await db?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  let first: { id: string; manifest: ExportManifest; file: Buffer; text: string };

  it('exports exactly the partner’s rows, redacted exactly as the changes feed answers the same principal, in bounded memory', async () => {
    // The live heap (collected before each sample) must not grow with the rows written: the job
    // holds a page or two, never the file. RSS alone cannot show it: the collector's slack hides a
    // file of this size.
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let heapPeak = heapBefore;
    let rssPeak = rssBefore;
    const sample = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      collectGarbage();
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 100);
    const created = await post('partner', { ...PARTNER_CONTRACT, filter: { since: null } });
    expect(created.status).toBe(202);
    const accepted = (await created.json()) as JobBody;
    expect(accepted).toMatchObject({ id: expect.stringMatching(/^exp_/), status: 'QUEUED', links: { self: `/exports/${accepted.id}`, file: `/exports/${accepted.id}/file` } });
    expect(created.headers.get('location')).toBe(`/exports/${accepted.id}`);
    const finished = await untilFinished('partner', accepted.id);
    clearInterval(sample);
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('SUCCEEDED');
    const manifest = finished.manifest!;

    const { response, bytes } = await download('partner', accepted.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="partner_order_status-v1-${accepted.id}.ndjson.gz"`);
    // The manifest's checksum is the SHA-256 of the bytes as downloaded.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(manifest.file).toEqual({ name: `${accepted.id}.ndjson.gz`, bytes: bytes.length, sha256, mediaType: 'application/x-ndjson', compression: 'gzip' });
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);

    const text = gunzipSync(bytes).toString('utf8');
    const rows = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { orderId: string; salesChannel: string });
    expect(text.endsWith('\n')).toBe(true);
    expect(rows.length).toBe(marketplaceIds.length);
    expect(manifest.rows).toBe(rows.length);
    expect(rows.map((r) => r.orderId).sort()).toEqual(marketplaceIds);
    expect(new Set(rows.map((r) => r.salesChannel))).toEqual(new Set(['MARKETPLACE']));

    // Row by row: the same rows, values and order as the GraphQL path gives this principal.
    const feed = await readFeed('partner', null);
    expect(rows).toEqual(feed.nodes);
    expect(manifest.endCursor).toBe(feed.endCursor);

    expectNoRawPii(text);
    expect(text).not.toContain('shippingCity');

    const sdl = await (await get('partner', '/contracts/partner_order_status/v1/schema.graphql')).text();
    expect(manifest).toMatchObject({
      exportId: accepted.id,
      contract: { name: 'partner_order_status', version: 1 },
      audience: 'PARTNER',
      schemaHash: `sha256:${createHash('sha256').update(sdl).digest('hex')}`,
      principal: { name: 'test-partner-a', id: expect.stringMatching(/^prn_/) },
      filter: { since: null },
    });
    expect(Date.parse(manifest.createdAt)).toBeLessThanOrEqual(Date.parse(manifest.completedAt));
    expect(manifest.freshness).toEqual([expect.objectContaining({ projection: 'order_timeline', status: 'FRESH', asOfEventTime: expect.any(String) })]);
    expect(manifest.redactionPolicy).toEqual(
      expect.arrayContaining([
        { field: 'PartnerOrderStatus.customerEmailMasked', classification: 'PII', strategy: 'MASK', mask: 'EMAIL' },
        { field: 'PartnerOrderStatus.shippingPostalCodeMasked', classification: 'PII', strategy: 'MASK', mask: 'POSTAL_CODE' },
        { field: 'PartnerOrderStatus.customerToken', classification: 'PII', strategy: 'TOKENIZE' },
        { field: 'PartnerOrderStatus.orderId', classification: 'CONFIDENTIAL', strategy: 'NONE' },
        { field: 'PartnerOrderLine.sku', classification: 'PUBLIC', strategy: 'NONE' },
      ]),
    );
    expect(JSON.stringify(manifest)).not.toContain('shippingCity');

    const liveGrowthMb = (heapPeak - heapBefore) / 1024 / 1024;
    console.log(`export of ${rows.length} rows: ${text.length} bytes of NDJSON, ${bytes.length} gzip; live heap growth ${liveGrowthMb.toFixed(1)} MB, RSS growth ${((rssPeak - rssBefore) / 1024 / 1024).toFixed(1)} MB`);
    expect(liveGrowthMb).toBeLessThan(LIVE_HEAP_BOUND_MB);
    first = { id: accepted.id, manifest, file: bytes, text };
  });

  it('streams the feed in one statement on PostgreSQL, and writes the same file when it reads pages instead (as on PGlite)', async () => {
    // One snapshot: the manifest says each row appears once.
    expect(first.manifest.ordering).toContain('as of one snapshot: each row once');
    const paged = createExportJobs({ db, gateway, audit: access.audit }, { directory, schema: accessSchema, streaming: false });
    await paged.migrate();
    try {
      const partner = await access.authenticator.authenticate(bearer('partner'));
      const job = await paged.start(partner, { ...PARTNER_CONTRACT, filter: { since: null } });
      if ('refusal' in job) throw new Error(job.message);
      const done = await paged.waitFor(job.id);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.manifest!.ordering).toContain('appears again later');
      expect(done.manifest!.endCursor).toBe(first.manifest.endCursor);
      expect(gunzipSync(await readFile(paged.filePath(job.id))).toString('utf8')).toBe(first.text);
    } finally {
      await paged.close();
    }
  });

  it('continues incrementally from the manifest’s endCursor: nothing, then exactly what changed', async () => {
    const empty = (await (await post('partner', { ...PARTNER_CONTRACT, filter: { since: first.manifest.endCursor } })).json()) as JobBody;
    const none = await untilFinished('partner', empty.id);
    expect(none.manifest).toMatchObject({ rows: 0, endCursor: first.manifest.endCursor, filter: { since: first.manifest.endCursor } });
    expect(gunzipSync((await download('partner', empty.id)).bytes).length).toBe(0);

    const t = projectionStorage(schema, orderTimelineProjection).tables;
    await db.transaction(async (tx) => {
      await tx.query(`update ${t.orders!} set order_lifecycle_state = 'cancelled', cancelled_at = now(), cancellation_reason = 'fraud' where order_id in ('gen-000001', 'gen-000002', 'gen-000003')`);
      await tx.query(`update ${t.order_changes!} set change_xid = pg_current_xact_id() where order_id in ('gen-000001', 'gen-000002', 'gen-000003')`);
    });
    // The feed shows a change once every transaction older than it has ended, anywhere on the
    // server (its no-miss rule); other test files share this PostgreSQL, so wait for that first.
    await expect
      .poll(async () => {
        const { body } = await postGraphQL(`${url}/contracts/partner_order_status/v1`, 'query($c: Cursor) { changes(since: $c, first: 10) { nodes { orderId } } }', { variables: { c: first.manifest.endCursor }, headers: bearer('partner') });
        return (body.data?.changes as { nodes: unknown[] } | undefined)?.nodes.length ?? -1;
      }, { timeout: 30_000, interval: 100 })
      .toBe(2);
    const next = (await (await post('partner', { ...PARTNER_CONTRACT, filter: { since: first.manifest.endCursor } })).json()) as JobBody;
    const done = await untilFinished('partner', next.id);
    const rows = gunzipSync((await download('partner', next.id)).bytes).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { orderId: string; orderLifecycleState: string });
    // gen-000003 is a web order: out of the partner's scope, changed or not.
    expect(rows.map((r) => [r.orderId, r.orderLifecycleState])).toEqual([
      ['gen-000001', 'CANCELLED'],
      ['gen-000002', 'CANCELLED'],
    ]);
    expect(done.manifest!.rows).toBe(2);
  });

  it('gives another principal 404 for the job and its file, exactly as for an unknown id', async () => {
    const unknown = 'exp_AAAAAAAAAAAAAAAAAAAAAA';
    for (const path of [`/exports/${first.id}`, `/exports/${first.id}/file`]) {
      const theirs = await get('partnerB', path);
      const missing = await get('partnerB', path.replace(first.id, unknown));
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      const [a, b] = [(await theirs.json()) as ErrorBody, (await missing.json()) as ErrorBody];
      expect(a.errors[0]!.extensions.code).toBe('NOT_FOUND');
      expect(a.errors[0]!.message.replace(first.id, unknown)).toBe(b.errors[0]!.message);
    }
    const listed = (await (await get('partnerB', '/exports')).json()) as { exports: JobBody[] };
    expect(listed.exports.map((e) => e.id)).not.toContain(first.id);
    const mine = (await (await get('partner', '/exports')).json()) as { exports: JobBody[] };
    expect(mine.exports.map((e) => e.id)).toContain(first.id);
  });

  it('tokens in another partner’s export of the same rows differ', async () => {
    const accepted = (await (await post('partnerB', { ...PARTNER_CONTRACT })).json()) as JobBody;
    await untilFinished('partnerB', accepted.id);
    const theirs = gunzipSync((await download('partnerB', accepted.id)).bytes).toString('utf8');
    const tokensOf = (text: string) => new Map(text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { orderId: string; customerToken: string }).map((r) => [r.orderId, r.customerToken]));
    const a = tokensOf(first.text);
    const b = tokensOf(theirs);
    const shared = [...a.keys()].filter((id) => b.has(id)).slice(0, 1000);
    expect(shared.length).toBe(1000);
    expect(shared.filter((id) => a.get(id) === b.get(id))).toEqual([]);
    expectNoRawPii(theirs);
  });

  it('refuses without the export right, a contract the principal may not use, a partner without row scope, and no credential', async () => {
    const noRight = await post('internal', PARTNER_CONTRACT);
    expect(noRight.status).toBe(403);
    expect(((await noRight.json()) as ErrorBody).errors[0]).toMatchObject({ message: expect.stringContaining('"export" right'), extensions: { code: 'FORBIDDEN' } });
    expect((await get('internal', `/exports/${first.id}`)).status).toBe(403);

    const internalContract = await post('partner', { contract: 'customer_order_timeline', version: 2 });
    expect(internalContract.status).toBe(403);
    expect(((await internalContract.json()) as ErrorBody).errors[0]!.extensions.code).toBe('FORBIDDEN');

    const anonymous = await fetch(`${url}/exports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PARTNER_CONTRACT) });
    expect(anonymous.status).toBe(401);

    // A partner principal without the row scope the contract requires: refused before anything is queued.
    const { apiKey } = await access.principals.create({ name: 'exporter-without-scope', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { region: ['EU'] } });
    const unscoped = await fetch(`${url}/exports`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(PARTNER_CONTRACT) });
    expect(unscoped.status).toBe(403);
    expect(((await unscoped.json()) as ErrorBody).errors[0]!.message).toContain('salesChannel');

    // An operator may use every contract; one without a change feed cannot be exported.
    const noFeed = await post('operator', { contract: 'customer_order_timeline', version: 2 });
    expect(noFeed.status).toBe(400);
    expect(((await noFeed.json()) as ErrorBody).errors[0]!.message).toMatch(/customer_order_timeline v2 cannot be exported: it has no change feed/);
  });

  it('answers a bad body with every problem at once, an unknown contract with 404, a foreign cursor with 400', async () => {
    const bad = await post('partner', { contract: 7, version: 'one', filter: { since: 5, region: 'EU' }, extra: true });
    expect(bad.status).toBe(400);
    const message = ((await bad.json()) as ErrorBody).errors[0]!.message;
    expect(message).toContain('Unknown field "extra"');
    expect(message).toContain('"contract" must be a contract name, e.g. "partner_order_status"; received 7.');
    expect(message).toContain('"version" must be a contract version, a positive integer such as 1; received "one".');
    expect(message).toContain('Unknown filter "region"');
    expect(message).toContain('"filter.since" must be a cursor string');

    const notJson = await fetch(`${url}/exports`, { method: 'POST', headers: { ...bearer('partner'), 'content-type': 'application/json' }, body: '{"contract":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).errors[0]!.message).toMatch(/^Request body is not valid JSON/);

    const unknown = await post('partner', { contract: 'partner_order_status', version: 9 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).errors[0]).toMatchObject({ message: 'No contract partner_order_status v9. Yours: partner_order_status v1.', extensions: { code: 'UNKNOWN_CONTRACT' } });

    const cursor = await post('partner', { ...PARTNER_CONTRACT, filter: { since: 'not-a-cursor' } });
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as ErrorBody).errors[0]!.message).toMatch(/^"filter\.since": .*not issued to you by this feed/);
  });

  it('answers 409 for the file of a job not finished, and fails queued jobs as interrupted on close', async () => {
    // A second runner on the same table that runs nothing: its job stays QUEUED.
    const paused = createExportJobs({ db, gateway, audit: access.audit }, { directory, schema: accessSchema, maxConcurrentJobs: 0 });
    await paused.migrate();
    const partner = await access.authenticator.authenticate(bearer('partner'));
    const job = await paused.start(partner, { ...PARTNER_CONTRACT, filter: { since: null } });
    if ('refusal' in job) throw new Error(job.message);
    const early = await get('partner', `/exports/${job.id}/file`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as ErrorBody).errors[0]).toMatchObject({ message: expect.stringContaining('is QUEUED'), extensions: { code: 'EXPORT_NOT_READY' } });
    await paused.close();
    const after = (await (await get('partner', `/exports/${job.id}`)).json()) as JobBody;
    expect(after).toMatchObject({ status: 'FAILED', error: { code: 'EXPORT_INTERRUPTED' } });
    expect((await get('partner', `/exports/${job.id}/file`)).status).toBe(409);
  });

  it('fails a job whose process died (stale heartbeat) at the next start-up, and removes its partial file', async () => {
    const partner = await access.authenticator.authenticate(bearer('partner'));
    const id = 'exp_deadprocessdeadprocess';
    await db.query(
      `insert into ${exportJobsTable(accessSchema)} (export_id, principal_id, principal_name, audience, contract, version, filter, status, correlation_id, started_at, heartbeat_at)
       values ($1, $2, 'test-partner-a', 'PARTNER', 'partner_order_status', 1, '{"since":null}', 'RUNNING', 'crash-test', now() - interval '1 hour', now() - interval '1 hour')`,
      [id, partner.id],
    );
    await writeFile(join(directory, `${id}.ndjson.gz.partial`), 'half a file');
    const restarted = createExportJobs({ db, gateway, audit: access.audit }, { directory, schema: accessSchema });
    await restarted.migrate();
    await restarted.close();
    const body = (await (await get('partner', `/exports/${id}`)).json()) as JobBody;
    expect(body).toMatchObject({ status: 'FAILED', error: { code: 'EXPORT_INTERRUPTED', message: expect.stringContaining('stopped before it finished') } });
    expect((await readdir(directory)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('audits creation, completion and download with the export id, and no values', async () => {
    await access.audit.flush();
    const created = await access.audit.list({ action: 'export.create', limit: 1000 });
    const ofFirst = created.filter((e) => e.exportId === first.id);
    expect(ofFirst.map((e) => e.detail).sort()).toEqual(['export queued', 'export succeeded']);
    expect(ofFirst.find((e) => e.detail === 'export succeeded')).toMatchObject({ principalName: 'test-partner-a', contract: 'partner_order_status/v1', rowsReturned: first.manifest.rows, outcome: 'ok' });
    expect(ofFirst[0]!.redactions).toEqual(expect.arrayContaining([{ field: 'PartnerOrderStatus.customerEmailMasked', strategy: 'MASK' }, { field: 'PartnerOrderStatus.customerToken', strategy: 'TOKENIZE' }]));
    const downloads = await access.audit.list({ action: 'export.download', limit: 1000 });
    expect(downloads.filter((e) => e.exportId === first.id).length).toBeGreaterThan(0);
    const denied = await access.audit.list({ action: 'access.denied', limit: 1000 });
    expect(denied.some((e) => e.principalName === 'test-internal' && e.detail === 'POST /exports')).toBe(true);
    // No value of the projection in the audit log or the job table: as whole values, or (long ones)
    // inside any text. Postal codes (digits only) are left out here: counts like rowsReturned may
    // equal one by chance; the file itself is checked for them above.
    const secrets = [...rawSecrets].filter((secret) => /[A-Za-z]/.test(secret));
    for (const table of [`"${accessSchema}".audit_log`, exportJobsTable(accessSchema)]) {
      const text = JSON.stringify((await db.query(`select * from ${table}`)).rows);
      const words = new Set(text.split(/[^A-Za-z0-9@.\- ]+/));
      expect(secrets.filter((secret) => words.has(secret)), table).toEqual([]);
      expect(secrets.filter((secret, i) => secret.length >= 10 && i % 50 === 0 && text.includes(secret)), table).toEqual([]);
    }
  });
});
