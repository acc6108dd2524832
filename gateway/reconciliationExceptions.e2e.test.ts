import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjection } from '../platform/projection/index.js';
import type { JourneySimulatorOptions, OrderJourney } from '../subgraphs/index.js';
import { contexts, createJourneySimulator } from '../subgraphs/index.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';

const CONTRACT = '/contracts/reconciliation_exceptions/v1';
const HOUR = 3_600_000;
const COUNT = 160;
const SEED = 808;
// Hours between steps so 24–72 h deadlines pass inside the run; races far above production rates.
const SIMULATION: Pick<JourneySimulatorOptions, 'rates' | 'faults' | 'orderIntervalMs' | 'stepIntervalMs' | 'startTime'> = {
  rates: { 'dispatch-after-cancel': 0.5, 'never-captured': 0.1, 'order-never-appears': 0.05, 'authorization-expired': 0.1 },
  faults: { legacyShare: 0.3 },
  orderIntervalMs: HOUR,
  stepIntervalMs: 2 * HOUR,
  startTime: Date.parse('2026-10-01T00:00:00.000Z'),
};
const EXCEPTION_FIELDS = 'exceptionId orderId rule owner severity state paymentId openedAt lastOpenedAt openCount deadlineAt resolvedAt ageSeconds evidence { eventId type topic partition offset } acknowledgement { note acknowledgedBy openCount }';

interface ExceptionView {
  exceptionId: string;
  orderId: string;
  rule: string;
  owner: string;
  state: string;
  openedAt: string;
  lastOpenedAt: string;
  ageSeconds: number;
  evidence: Array<{ eventId: string; topic: string; partition: number; offset: string }>;
  acknowledgement: { note: string; acknowledgedBy: string } | null;
}

describe.each([['PostgreSQL', 'postgres'], ['PGlite', 'embedded']] as const)('reconciliation_exceptions over HTTP on %s', (_name, services) => {
  let t: TestGateway;
  let journeys: OrderJourney[];
  const ask = (query: string, variables: Record<string, unknown> = {}, who: 'internal' | 'operator' | 'partner' = 'operator') => postGraphQL(`${t.url}${CONTRACT}`, query, { variables, headers: t.bearer(who) });
  const allExceptions = async (filter: Record<string, unknown> = {}): Promise<ExceptionView[]> => {
    const out: ExceptionView[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await ask(`query($f: ExceptionFilter, $after: String) { exceptions(filter: $f, first: 7, after: $after) { exceptions { ${EXCEPTION_FIELDS} } endCursor hasNextPage } }`, { f: filter, after });
      expect(body.errors).toBeUndefined();
      const page = body.data!.exceptions as { exceptions: ExceptionView[]; endCursor: string | null; hasNextPage: boolean };
      out.push(...page.exceptions);
      if (!page.hasNextPage) return out;
      after = page.endCursor;
    }
  };

  beforeAll(async () => {
    journeys = createJourneySimulator({ seed: SEED, ...SIMULATION }).next(COUNT).histories;
    t = await startTestGateway({ prefix: 'recon', services, journeys: { count: COUNT, seed: SEED, ...SIMULATION } });
  }, 180_000);
  afterAll(async () => t?.stop());

  it('raises the exceptions the planted races call for, with evidence that points into the log', async () => {
    const exceptions = await allExceptions();
    const byOrder = (rule: string) => new Set(exceptions.filter((e) => e.rule === rule).map((e) => e.orderId));
    const { rows } = await t.db.query<{ watermark: Date }>(`select watermark from "${t.schemas['reconciliation']}".settlements`);
    const watermark = rows[0]!.watermark.getTime();

    const dispatchedAfterCancel = journeys.filter((j) => j.races.includes('dispatch-after-cancel') && j.orderPublished);
    expect(dispatchedAfterCancel.length).toBeGreaterThan(1);
    for (const j of dispatchedAfterCancel) {
      const cancelledAt = j.order.steps.find((s) => s.kind === 'cancel')?.at;
      const lateDispatch = j.shipments.flatMap((s) => s.steps).find((s) => s.kind === 'dispatch' && cancelledAt !== undefined && s.at >= cancelledAt);
      if (lateDispatch && lateDispatch.at <= watermark) expect(byOrder('SHIPPED_AFTER_CANCEL')).toContain(j.orderId);
    }
    const orphans = journeys.filter((j) => j.races.includes('order-never-appears'));
    for (const j of orphans) {
      const first = Math.min(...j.payments.flatMap((p) => p.steps.map((s) => s.at)));
      if (first + 24 * HOUR <= watermark) expect(byOrder('ORPHAN_PAYMENT')).toContain(j.orderId);
    }
    // Nothing is raised against an order whose facts say nothing is wrong: every open SHIPPED_AFTER_CANCEL is a planted race.
    for (const orderId of byOrder('SHIPPED_AFTER_CANCEL')) expect(dispatchedAfterCancel.map((j) => j.orderId)).toContain(orderId);

    const sample = exceptions[0]!;
    expect(sample.evidence.length).toBeGreaterThan(0);
    for (const e of sample.evidence) expect(['orders.events.v1', 'legacy.oms.cdc', 'payments.events.v1', 'fulfillment.events.v1']).toContain(e.topic);
    const open = exceptions.filter((e) => e.state === 'OPEN');
    expect(open.length).toBeGreaterThan(0);
    for (const e of open) expect(e.ageSeconds).toBe(Math.floor((watermark - Date.parse(e.lastOpenedAt)) / 1000));
  });

  it('counts per rule, owner, severity and state add up to the listing, and filters narrow it', async () => {
    const exceptions = await allExceptions();
    const { body } = await ask('{ exceptionCounts { rule owner severity state count } }');
    const counts = body.data!.exceptionCounts as Array<{ rule: string; owner: string; state: string; count: number }>;
    expect(counts.reduce((s, c) => s + c.count, 0)).toBe(exceptions.length);
    const payments = await allExceptions({ owners: ['payments'], states: ['OPEN'] });
    expect(payments.length).toBe(exceptions.filter((e) => e.owner === 'payments' && e.state === 'OPEN').length);
    expect(payments.every((e) => e.owner === 'payments' && e.state === 'OPEN')).toBe(true);
    const old = await allExceptions({ minAgeSeconds: 48 * 3600 });
    expect(old.every((e) => e.ageSeconds >= 48 * 3600)).toBe(true);
  });

  it('refuses precise errors: a bad page size, a foreign cursor, the acknowledgement without the steward right', async () => {
    for (const first of [-5, 501]) {
      const { body } = await ask(`{ exceptions(first: ${first}) { hasNextPage } }`);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain('allowed: 0 to 500');
    }
    const none = await ask('{ exceptions(first: 0) { exceptions { exceptionId } hasNextPage } }');
    expect(none.body.data!.exceptions).toEqual({ exceptions: [], hasNextPage: true });
    const cursor = await ask('{ exceptions(first: 1, after: "bm90LWEtY3Vyc29y") { hasNextPage } }');
    expect(cursor.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const [target] = (await allExceptions({ states: ['OPEN'] }));
    const denied = await ask('mutation($id: ID!) { acknowledgeException(exceptionId: $id, note: "mine") { state } }', { id: target!.exceptionId }, 'internal');
    expect(denied.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(denied.body.errors?.[0]?.message).toContain('needs the steward right');
    const partner = await ask('{ watermark { watermark } }', {}, 'partner');
    expect(partner.status).toBe(403);
    const missing = await ask('mutation { acknowledgeException(exceptionId: "SHIPPED_NOT_CAPTURED:ord-nope", note: "x") { state } }');
    expect(missing.body.errors?.[0]?.extensions?.['code']).toBe('EXCEPTION_NOT_FOUND');
    const empty = await ask('mutation($id: ID!) { acknowledgeException(exceptionId: $id, note: "   ") { state } }', { id: target!.exceptionId });
    expect(empty.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const overGet = await fetch(`${t.url}${CONTRACT}?query=${encodeURIComponent('mutation { acknowledgeException(exceptionId: "x", note: "y") { state } }')}`, { headers: t.bearer('operator') });
    expect(overGet.status).toBeGreaterThanOrEqual(400);
  });

  it('a steward acknowledges an open exception; the acknowledgement survives a rebuild, with identical exceptions', async () => {
    const [target] = await allExceptions({ states: ['OPEN'] });
    const { body } = await ask('mutation($id: ID!) { acknowledgeException(exceptionId: $id, note: "refund requested from PSP") { exceptionId state acknowledgement { note acknowledgedBy openCount } } }', { id: target!.exceptionId });
    expect(body.errors).toBeUndefined();
    expect(body.data!.acknowledgeException).toEqual({ exceptionId: target!.exceptionId, state: 'ACKNOWLEDGED', acknowledgement: { note: 'refund requested from PSP', acknowledgedBy: 'test-operator', openCount: 1 } });
    const acknowledged = await allExceptions({ states: ['ACKNOWLEDGED'] });
    expect(acknowledged.map((e) => e.exceptionId)).toEqual([target!.exceptionId]);

    const before = await allExceptions();
    const context = contexts.find((c) => c.name === 'reconciliation')!;
    const report = await rebuildProjection({ log: t.log, db: t.db }, context.ingestion, 'order_agreement', { schema: t.schemas['reconciliation'] });
    expect(report.parity.filter((p) => p.missingInShadow + p.extraInShadow > 0)).toEqual([]);
    expect(report.swapped).toBe(true);
    expect(await allExceptions()).toEqual(before);
  });

  it('per order, what the contexts agree on: totals and lines that match the journey', async () => {
    const journey = journeys.find((j) => j.orderPublished && !j.order.steps.some((s) => s.kind === 'amend') && j.shipments.length > 0)!;
    const { body } = await ask('query($ids: [ID!]!) { orderAgreements(orderIds: $ids) { orderId ordered { amount currency } captured { amount } net { amount } lines { lineId orderedQuantity shippedQuantity } paymentAttempts shipments exceptions { rule } } }', { ids: [journey.orderId, 'ord-unknown'] });
    expect(body.errors).toBeUndefined();
    const [agreement, unknown] = body.data!.orderAgreements as Array<{ orderId: string; paymentAttempts: number; shipments: number; lines: unknown[] } | null>;
    expect(unknown).toBeNull();
    expect(agreement!.orderId).toBe(journey.orderId);
    expect(agreement!.paymentAttempts).toBe(journey.payments.length);
    expect(agreement!.shipments).toBe(journey.shipments.length);
  });

  it('shows live exceptions in /metrics and on the catalog page, per owner, matching the contract', async () => {
    const { body } = await ask('{ exceptionCounts(filter: { states: [OPEN, ACKNOWLEDGED] }) { rule owner severity state count } }');
    const counts = body.data!.exceptionCounts as Array<{ owner: string; state: string; count: number }>;
    const perOwner = new Map<string, number>();
    for (const c of counts) perOwner.set(c.owner, (perOwner.get(c.owner) ?? 0) + c.count);
    expect(perOwner.size).toBeGreaterThan(0);

    const scrape = await fetch(`${t.url}/metrics`, { headers: t.bearer('operator') });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const scraped = new Map<string, number>();
    for (const match of text.matchAll(/^dpg_reconciliation_open_exceptions\{([^}]*)\} (\d+)$/gm)) {
      const owner = /owner="([^"]+)"/.exec(match[1]!)![1]!;
      scraped.set(owner, (scraped.get(owner) ?? 0) + Number(match[2]));
    }
    expect(scraped).toEqual(perOwner);
    expect(text).toMatch(/^dpg_reconciliation_event_time_watermark_seconds \d+/m);

    const page = await fetch(`${t.url}/catalog/static`, { headers: { ...t.bearer('operator'), accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('Open reconciliation exceptions per owner');
    for (const [owner] of perOwner) expect(html).toContain(`<td>${owner}</td>`);
    const partnerPage = await fetch(`${t.url}/catalog/static`, { headers: { ...t.bearer('partner'), accept: 'text/html' } });
    expect(await partnerPage.text()).not.toContain('reconciliation exceptions');
  });
});
