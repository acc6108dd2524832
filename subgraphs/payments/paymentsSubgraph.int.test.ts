import type { ExecutionResult } from 'graphql';
import { getNamedType, graphql, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import { fieldLineage, isSubgraphError, SubgraphErrorCode, typeModel } from '../../platform/subgraph/index.js';
import { countingDatabase } from '../../test/support/countingDatabase.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { PaymentHistory, PaymentMethod, PaymentStep } from './index.js';
import { PAYMENT_EVENT_TYPES, PAYMENTS_EVENTS_TOPIC, paymentsContextModule, paymentsV1Subgraph, renderPaymentEvents } from './index.js';

const T0 = Date.UTC(2026, 10, 2, 8);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const METHODS: PaymentMethod[] = ['card', 'wallet', 'bank_transfer', 'gift_card'];

/**
 * Payment `n` of 200, two per order (`ord-⌈n/2⌉`, the second attempted a minute later): every
 * tenth declined at once, every seventh voided, the rest captured in two parts (split shipments),
 * the even ones then partly refunded.
 */
function history(n: number): PaymentHistory {
  const at = T0 + n * MINUTE;
  const method = METHODS[n % METHODS.length]!;
  const steps: PaymentStep[] =
    n % 10 === 0
      ? [{ kind: 'decline', at, amount: '100.00', failureCode: 'declined' }]
      : [
          { kind: 'authorize', at, amount: '100.00' },
          { kind: 'fraudCheck', at: at + 1000, outcome: 'passed', score: n % 100 },
          ...(n % 7 === 0
            ? [{ kind: 'void' as const, at: at + 2000 }]
            : [
                { kind: 'capture' as const, at: at + 60 * MINUTE, captureId: `cap-${n}-1`, amount: '60.00' },
                { kind: 'capture' as const, at: at + 120 * MINUTE, captureId: `cap-${n}-2`, amount: '40.00' },
                ...(n % 2 === 0 ? [{ kind: 'refund' as const, at: at + 180 * MINUTE, refundId: `ref-${n}`, amount: '15.50', reason: 'returned' as const }] : []),
              ]),
        ];
  return {
    paymentId: `pay-${n}`,
    orderId: `ord-${Math.ceil(n / 2)}`,
    currency: 'EUR',
    method,
    card: method === 'card' ? { brand: 'visa', last4: String(1000 + n), holderName: `Holder ${n}` } : null,
    pspReference: `PSP-${n}`,
    authorizationExpiresAt: at + 7 * 24 * 60 * MINUTE,
    steps,
  };
}
const HISTORIES = Array.from({ length: 200 }, (_, i) => history(i + 1));

const PAYMENT_FIELDS = /* GraphQL */ `
  fragment PaymentFields on Payment {
    paymentId orderId method lifecycleState
    requestedAmount { amount currency } authorizedAmount { amount currency } capturedAmount { amount currency } refundedAmount { amount currency }
    card { brand last4 holderName } pspReference attemptedAt authorizedAt authorizationExpiresAt
    fraudCheck { outcome score checkedAt } voidedAt failedAt failureCode
    captures { captureId amount { amount currency } capturedAt sequence }
    refunds { refundId amount { amount currency } reason refundedAt sequence }
    statusHistory { sequence eventType lifecycleState occurredAt }
    lastEventOccurredAt
  }`;
const BY_IDS = /* GraphQL */ `query ($ids: [ID!]!) { paymentsByIds(paymentIds: $ids) { ...PaymentFields } } ${PAYMENT_FIELDS}`;
const BY_ORDER_IDS = /* GraphQL */ `query ($ids: [ID!]!) { paymentsByOrderIds(orderIds: $ids) { orderId payments { ...PaymentFields } } } ${PAYMENT_FIELDS}`;

interface PaymentView {
  paymentId: string;
  [field: string]: unknown;
}

describe.each(bothDatabases)('payments/v1 subgraph on %s', (_name, openDb) => {
  let db: Database;
  let log: EventLog;
  let projector: Projector;
  const schema = uniqueName('payments_subgraph');

  beforeAll(async () => {
    db = await openDb();
    log = createEmbeddedEventLog();
    const prng = createPrng(17);
    const records = HISTORIES.flatMap((h) => renderPaymentEvents(h, prng)).sort((a, b) => a.at - b.at);
    await produceAll(log, records);
    projector = createProjector({ log, db }, paymentsContextModule.ingestion, { schema, onError: () => undefined });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [PAYMENTS_EVENTS_TOPIC]);
  });
  afterAll(async () => {
    await projector.stop();
    await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
  });

  const run = async (source: string, variableValues: Record<string, unknown> = {}, through: Queryable = db) => {
    const result = (await graphql({ schema: paymentsV1Subgraph.schema, source, variableValues, contextValue: paymentsV1Subgraph.createContext(through, schema) })) as ExecutionResult<Record<string, unknown>>;
    expect(result.errors).toBeUndefined();
    return result.data!;
  };

  it('given a card payment captured over a split shipment and partly refunded, when looked up by id, then every field is exact, with an event time for every transition', async () => {
    const data = await run(/* GraphQL */ `{ payment(paymentId: "pay-4") { ...PaymentFields } } ${PAYMENT_FIELDS}`);
    const at = T0 + 4 * MINUTE;
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    expect(data.payment).toEqual({
      paymentId: 'pay-4', orderId: 'ord-2', method: 'CARD', lifecycleState: 'PARTIALLY_REFUNDED',
      requestedAmount: eur('100.00'), authorizedAmount: eur('100.00'), capturedAmount: eur('100.00'), refundedAmount: eur('15.50'),
      card: { brand: 'visa', last4: '1004', holderName: 'Holder 4' }, pspReference: 'PSP-4',
      attemptedAt: iso(at), authorizedAt: iso(at), authorizationExpiresAt: iso(at + 7 * 24 * 60 * MINUTE),
      fraudCheck: { outcome: 'PASSED', score: 4, checkedAt: iso(at + 1000) }, voidedAt: null, failedAt: null, failureCode: null,
      captures: [
        { captureId: 'cap-4-1', amount: eur('60.00'), capturedAt: iso(at + 60 * MINUTE), sequence: 3 },
        { captureId: 'cap-4-2', amount: eur('40.00'), capturedAt: iso(at + 120 * MINUTE), sequence: 4 },
      ],
      refunds: [{ refundId: 'ref-4', amount: eur('15.50'), reason: 'RETURNED', refundedAt: iso(at + 180 * MINUTE), sequence: 5 }],
      statusHistory: [
        { sequence: 1, eventType: 'PAYMENT_AUTHORIZED', lifecycleState: 'AUTHORIZED', occurredAt: iso(at) },
        { sequence: 2, eventType: 'FRAUD_CHECK_COMPLETED', lifecycleState: 'AUTHORIZED', occurredAt: iso(at + 1000) },
        { sequence: 3, eventType: 'PAYMENT_CAPTURED', lifecycleState: 'PARTIALLY_CAPTURED', occurredAt: iso(at + 60 * MINUTE) },
        { sequence: 4, eventType: 'PAYMENT_CAPTURED', lifecycleState: 'CAPTURED', occurredAt: iso(at + 120 * MINUTE) },
        { sequence: 5, eventType: 'PAYMENT_REFUNDED', lifecycleState: 'PARTIALLY_REFUNDED', occurredAt: iso(at + 180 * MINUTE) },
      ],
      lastEventOccurredAt: iso(at + 180 * MINUTE),
    });
  });

  it('given payments declined at once, voided or never known, then each reads as what happened', async () => {
    const data = await run(/* GraphQL */ `{
      declined: payment(paymentId: "pay-10") { method lifecycleState requestedAmount { amount currency } authorizedAmount { amount } card { brand } pspReference attemptedAt authorizedAt failedAt failureCode captures { captureId } }
      voided: payment(paymentId: "pay-7") { lifecycleState voidedAt capturedAmount { amount } card { last4 } method }
      unknown: payment(paymentId: "pay-nope") { paymentId }
    }`);
    const at10 = iso(T0 + 10 * MINUTE);
    expect(data.declined).toEqual({ method: null, lifecycleState: 'FAILED', requestedAmount: { amount: '100.00', currency: 'EUR' }, authorizedAmount: null, card: null, pspReference: null, attemptedAt: at10, authorizedAt: null, failedAt: at10, failureCode: 'DECLINED', captures: [] });
    expect(data.voided).toEqual({ lifecycleState: 'VOIDED', voidedAt: iso(T0 + 7 * MINUTE + 2000), capturedAmount: { amount: '0.00' }, card: null, method: 'GIFT_CARD' });
    expect(data.unknown).toBeNull();
  });

  it('given ids, when looked up in a batch, then payments come in the order given, null where unknown', async () => {
    const data = await run(BY_IDS, { ids: ['pay-3', 'pay-nope', 'pay-1', 'pay-3'] });
    expect((data.paymentsByIds as Array<PaymentView | null>).map((p) => p?.paymentId ?? null)).toEqual(['pay-3', null, 'pay-1', 'pay-3']);
  });

  it('given order ids, then one entry per order id given, in that order, each with its attempts oldest first, empty where none is known', async () => {
    const data = await run(BY_ORDER_IDS, { ids: ['ord-2', 'ord-unknown', 'ord-1', 'ord-2'] });
    const entries = data.paymentsByOrderIds as Array<{ orderId: string; payments: PaymentView[] }>;
    expect(entries.map((e) => [e.orderId, e.payments.map((p) => p.paymentId)])).toEqual([['ord-2', ['pay-3', 'pay-4']], ['ord-unknown', []], ['ord-1', ['pay-1', 'pay-2']], ['ord-2', ['pay-3', 'pay-4']]]);
    const byId = await run(BY_IDS, { ids: ['pay-3', 'pay-4'] });
    expect(entries[0]!.payments).toEqual(byId.paymentsByIds);
  });

  it('given 10 or 200 ids, then a request runs the same number of SQL statements: one per table, nested lists batched', async () => {
    const counted = countingDatabase(db);
    const statementsFor = async (query: string, ids: string[]) => {
      const before = counted.statements;
      const data = await run(query, { ids }, counted);
      return { statements: counted.statements - before, data };
    };
    const paymentIds = (n: number) => HISTORIES.slice(0, n).map((h) => h.paymentId);
    const orderIds = (n: number) => Array.from({ length: n }, (_, i) => `ord-${i + 1}`);
    const few = await statementsFor(BY_IDS, paymentIds(10));
    const many = await statementsFor(BY_IDS, paymentIds(200));
    expect((many.data.paymentsByIds as unknown[]).every((p) => p !== null)).toBe(true);
    // Payments, then captures, refunds and history: one statement each.
    expect([few.statements, many.statements]).toEqual([4, 4]);
    const fewOrders = await statementsFor(BY_ORDER_IDS, orderIds(10));
    const manyOrders = await statementsFor(BY_ORDER_IDS, orderIds(100).concat(orderIds(100).map((id) => `${id}-unknown`)));
    expect((manyOrders.data.paymentsByOrderIds as Array<{ payments: unknown[] }>).reduce((n, e) => n + e.payments.length, 0)).toBe(200);
    expect([fewOrders.statements, manyOrders.statements]).toEqual([4, 4]);
  });

  it('given a row scope, then creating the context fails with ROW_SCOPE_INVALID: payments/v1 declares no dimension', () => {
    let caught: unknown;
    try {
      paymentsV1Subgraph.createContext(db, schema, { rowScope: { salesChannel: ['WEB'] } });
    } catch (error) {
      caught = error;
    }
    expect(isSubgraphError(caught, SubgraphErrorCode.RowScopeInvalid)).toBe(true);
    expect((caught as Error).message).toMatch(/payments\/v1 can be restricted by nothing/);
    expect(() => paymentsV1Subgraph.createContext(db, schema, { rowScope: null })).not.toThrow();
  });

  it('declares lineage that holds: every field names columns the projection has and events the topic carries, every type its model', async () => {
    const { rows } = await db.query<{ column: string }>(`select table_name || '.' || column_name as column from information_schema.columns where table_schema = $1`, [schema]);
    const columns = new Set(rows.map((r) => r.column));
    const projection = paymentsContextModule.ingestion.projections[0]!;
    const problems: string[] = [];
    for (const type of Object.values(paymentsV1Subgraph.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Query') continue;
      if (!typeModel(paymentsV1Subgraph, type)) problems.push(`${type.name} has no @model`);
      for (const field of Object.values(type.getFields())) {
        const lineage = fieldLineage(paymentsV1Subgraph, field);
        const at = `${type.name}.${field.name}`;
        if (!lineage) {
          problems.push(`${at} has no @lineage`);
          continue;
        }
        if (lineage.projection !== projection.name) problems.push(`${at} names projection ${lineage.projection}`);
        for (const column of lineage.columns) if (!columns.has(column)) problems.push(`${at} names column ${column}, which ${schema} does not have`);
        for (const event of lineage.events) if (!(PAYMENT_EVENT_TYPES as readonly string[]).includes(event.split('.')[0]!)) problems.push(`${at} names event ${event}`);
      }
    }
    expect(problems).toEqual([]);
    // A root field returns a record (whose type names its @model) or plain values (with @lineage of their own).
    for (const field of Object.values(paymentsV1Subgraph.schema.getQueryType()!.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named)) expect(typeModel(paymentsV1Subgraph, named), field.name).not.toBeNull();
      else expect(fieldLineage(paymentsV1Subgraph, field), field.name).not.toBeNull();
    }
    expect(paymentsV1Subgraph.topics).toEqual([{ topic: PAYMENTS_EVENTS_TOPIC, sourceSystems: ['psp-adyen-bridge', 'gift-card-service'], events: [...PAYMENT_EVENT_TYPES] }]);
  });
});
