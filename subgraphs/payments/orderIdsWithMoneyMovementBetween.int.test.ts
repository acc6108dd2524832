import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import { fieldLineage } from '../../platform/subgraph/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { PaymentHistory, PaymentStep } from './index.js';
import { PAYMENTS_EVENTS_TOPIC, paymentsContextModule, paymentsV1Subgraph, renderPaymentEvents } from './index.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** An attempt for `orderId` authorized on 2026-11-01, then `moves` (captures and refunds at the times given). */
function payment(paymentId: string, orderId: string, moves: Array<['capture' | 'refund', string]>): PaymentHistory {
  const authorizedAt = at('2026-11-01T08:00:00.000Z');
  const steps: PaymentStep[] = [{ kind: 'authorize', at: authorizedAt, amount: '100.00' }];
  moves.forEach(([kind, time], i) => steps.push(kind === 'capture' ? { kind, at: at(time), captureId: `cap-${paymentId}-${i}`, amount: '10.00' } : { kind, at: at(time), refundId: `ref-${paymentId}-${i}`, amount: '5.00', reason: 'goodwill' }));
  return { paymentId, orderId, currency: 'EUR', method: 'wallet', card: null, pspReference: `psp-${paymentId}`, authorizationExpiresAt: authorizedAt + 20 * DAY, steps };
}

// Given: captures and refunds around the edges of 2026-11-03 (UTC), on several attempts of one
// order, and an attempt that moved no money at all.
const HISTORIES = [
  payment('pay-a-1', 'ord-a', [['capture', '2026-11-02T23:59:59.999Z']]),
  payment('pay-b-1', 'ord-b', [['capture', '2026-11-03T00:00:00.000Z']]),
  payment('pay-b-2', 'ord-b', [['capture', '2026-11-02T10:00:00.000Z'], ['refund', '2026-11-03T12:00:00.000Z']]),
  payment('pay-c-1', 'ord-c', [['capture', '2026-11-01T10:00:00.000Z'], ['refund', '2026-11-03T23:59:59.999Z']]),
  payment('pay-d-1', 'ord-d', [['capture', '2026-11-04T00:00:00.000Z'], ['refund', '2026-11-05T00:00:00.000Z']]),
  payment('pay-e-1', 'ord-e', []),
];
const QUERY = /* GraphQL */ `query ($from: DateTime!, $until: DateTime!) { orderIdsWithMoneyMovementBetween(from: $from, until: $until) }`;

describe.each(bothDatabases)('payments/v1 orderIdsWithMoneyMovementBetween on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('payments_moved');

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog();
    const prng = createPrng(5);
    await produceAll(log, HISTORIES.flatMap((h) => renderPaymentEvents(h, prng)));
    projector = createProjector({ log, db }, paymentsContextModule.ingestion, { schema });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [PAYMENTS_EVENTS_TOPIC]);
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  /** Runs the query on a database that records every statement sent. */
  const run = async (from: string, until: string) => {
    const statements: Array<{ sql: string; params: readonly unknown[] }> = [];
    const recording: Queryable = { query: (sql, params = []) => (statements.push({ sql, params }), db.query(sql, params)), copyRows: (...args) => db.copyRows(...args), copyRowsOut: (select) => db.copyRowsOut(select) };
    const result = await graphql({ schema: paymentsV1Subgraph.schema, source: QUERY, variableValues: { from, until }, contextValue: paymentsV1Subgraph.createContext(recording, schema) });
    return { result, statements };
  };

  it('answers the orders with a capture or a refund in [from, until), over all their attempts, each once, in id order, in one statement', async () => {
    const day = await run('2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z');
    expect(day.result.errors).toBeUndefined();
    expect(day.result.data?.orderIdsWithMoneyMovementBetween).toEqual(['ord-b', 'ord-c']);
    expect(day.statements).toHaveLength(1);
    const refundsOnly = await run('2026-11-05T00:00:00.000Z', '2026-11-06T00:00:00.000Z');
    expect(refundsOnly.result.data?.orderIdsWithMoneyMovementBetween).toEqual(['ord-d']);
    const all = await run('2026-11-01T00:00:00.000Z', '2026-11-06T00:00:00.000Z');
    expect(all.result.data?.orderIdsWithMoneyMovementBetween).toEqual(['ord-a', 'ord-b', 'ord-c', 'ord-d']);
    const empty = await run('2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z');
    expect(empty.result.data?.orderIdsWithMoneyMovementBetween).toEqual([]);
  });

  it('plans the statement on the captured_at and refunded_at indexes, not a scan of every capture and refund', async () => {
    const { statements } = await run('2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z');
    const plan = await db.transaction(async (tx) => {
      // With a handful of rows a scan is cheapest; forbid it to see which indexes the statement can use.
      await tx.query('set local enable_seqscan = off');
      const { rows } = await tx.query(`explain ${statements[0]!.sql}`, statements[0]!.params);
      return rows.map((r) => String(Object.values(r)[0])).join('\n');
    });
    expect(plan).toContain('payment_captures_captured_at_idx');
    expect(plan).toContain('payment_refunds_refunded_at_idx');
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('declares @lineage to columns that exist and events its topics yield', async () => {
    const lineage = fieldLineage(paymentsV1Subgraph, paymentsV1Subgraph.schema.getQueryType()!.getFields().orderIdsWithMoneyMovementBetween!)!;
    expect(lineage.projection).toBe('payment_attempts');
    const { rows } = await db.query<{ table_name: string; column_name: string }>('select table_name, column_name from information_schema.columns where table_schema = $1', [schema]);
    const columns = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    expect(lineage.columns.filter((c) => !columns.has(c))).toEqual([]);
    const events = new Set(paymentsV1Subgraph.topics.flatMap((t) => t.events));
    expect(lineage.events.filter((e) => !events.has(e.split('.')[0]!))).toEqual([]);
  });

  it('refuses a window backwards, over 31 days, or not a timestamp, saying what it received', async () => {
    for (const [from, until, message] of [
      ['2026-11-04T00:00:00.000Z', '2026-11-03T00:00:00.000Z', 'orderIdsWithMoneyMovementBetween takes a window [from, until) with until not before from, received from 2026-11-04T00:00:00.000Z and until 2026-11-03T00:00:00.000Z.'],
      ['2026-11-01T00:00:00.000Z', '2026-12-02T00:00:00.001Z', 'orderIdsWithMoneyMovementBetween spans at most 31 days, received 2026-11-01T00:00:00.000Z to 2026-12-02T00:00:00.001Z; split the window.'],
    ] as const) {
      const { result, statements } = await run(from, until);
      expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
      expect(statements).toHaveLength(0);
    }
    // Not a timestamp: refused by the DateTime scalar while the variables are coerced, before any resolver runs.
    const { result, statements } = await run('2026-11-03T00:00:00.000Z', 'tomorrow');
    expect(result.errors?.[0]?.message).toBe('Variable "$until" got invalid value "tomorrow"; DateTime must be an RFC 3339 timestamp with a real date and time, years 1900 to 9998, such as "2026-11-02T08:00:00.000Z"; received "tomorrow".');
    expect(statements).toHaveLength(0);
  });
});
