import type { Queryable } from '../../../platform/database/index.js';
import type { TableNames } from '../../../platform/projection/index.js';
import type { ReconciliationEvent } from '../events/ReconciliationEvent.js';
import { decideOrder } from '../rules/decideOrder.js';
import type { OrderFact } from '../rules/OrderFact.js';
import { agreementOf } from '../rules/orderAgreement.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The settlement of the reconciliation projection: decides the orders that changed since they
 * were settled, or whose next decision (a deadline, or a fact the watermark had not reached) is
 * now at or under the watermark. Each is decided afresh from all its facts (`decideOrder`), so
 * the rows are a function of facts and watermark alone. The order rows are locked first: a batch
 * that adds a fact to an order being settled waits, then marks it unsettled again.
 */
export async function settleOrders(tx: Queryable, tables: TableNames, watermark: Date, options: { limit: number; skipLocked: boolean }): Promise<number> {
  const agreements = tables['order_agreements']!;
  const events = tables['reconciliation_events']!;
  const exceptions = tables['reconciliation_exceptions']!;
  const { rows: due } = await tx.query<{ order_id: string }>(
    `select order_id from ${agreements} where not settled or next_decision_at <= $1
     order by order_id limit $2 for update${options.skipLocked ? ' skip locked' : ''}`,
    [watermark, options.limit],
  );
  if (due.length === 0) return 0;
  const orderIds = due.map((r) => r.order_id);
  const { rows } = await tx.query<{ order_id: string; event: ReconciliationEvent; topic: string; partition: number; record_offset: string }>(
    `select order_id, event, topic, partition, record_offset from ${events} where order_id = any($1::text[])`,
    [orderIds],
  );
  const factsOf = new Map<string, OrderFact[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) factsOf.get(row.order_id)!.push({ event: row.event, origin: { topic: row.topic, partition: row.partition, offset: Number(row.record_offset) } });

  const decided = orderIds.map((orderId) => {
    const facts = factsOf.get(orderId)!;
    return { orderId, decision: decideOrder(orderId, facts, watermark.getTime()), agreement: agreementOf(orderId, facts) };
  });
  await tx.query(
    `update ${agreements} a set settled = true, next_decision_at = x.next_at, agreement = x.agreement::jsonb
     from unnest($1::text[], $2::timestamptz[], $3::text[]) x(order_id, next_at, agreement) where a.order_id = x.order_id`,
    [orderIds, decided.map((d) => iso(d.decision.nextDecisionAt)), decided.map((d) => JSON.stringify(d.agreement))],
  );
  await tx.query(`delete from ${exceptions} where order_id = any($1::text[])`, [orderIds]);
  const all = decided.flatMap((d) => d.decision.exceptions);
  if (all.length > 0) {
    await tx.query(
      `insert into ${exceptions} (exception_id, order_id, rule, subject, owner, severity, state, opened_at, last_opened_at, open_count, deadline_at, resolved_at, resolved_by, evidence)
       select id, o, r, su, ow, se, st, op, lo, oc, dl, ra, rb::jsonb, ev::jsonb
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::int[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::text[])
         x(id, o, r, su, ow, se, st, op, lo, oc, dl, ra, rb, ev)`,
      [
        all.map((e) => e.exceptionId),
        all.map((e) => e.orderId),
        all.map((e) => e.rule),
        all.map((e) => e.subject),
        all.map((e) => e.owner),
        all.map((e) => e.severity),
        all.map((e) => e.state),
        all.map((e) => iso(e.openedAt)),
        all.map((e) => iso(e.lastOpenedAt)),
        all.map((e) => e.openCount),
        all.map((e) => iso(e.deadlineAt)),
        all.map((e) => iso(e.resolvedAt)),
        all.map((e) => (e.resolvedBy ? JSON.stringify(e.resolvedBy) : null)),
        all.map((e) => JSON.stringify(e.evidence)),
      ],
    );
  }
  return orderIds.length;
}
