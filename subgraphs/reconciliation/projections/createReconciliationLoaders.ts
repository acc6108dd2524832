import DataLoader from 'dataloader';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import { contextTables } from '../../../platform/projection/index.js';
import type { Actor } from '../acknowledgements/acknowledgeException.js';
import { acknowledgeException, acknowledgementsTable, ensureAcknowledgementsTable, ReconciliationError, ReconciliationErrorCode } from '../acknowledgements/acknowledgeException.js';
import type { Evidence } from '../rules/OrderFact.js';
import type { LineAgreement, OrderAgreement } from '../rules/orderAgreement.js';
import type { RuleCode, Severity } from '../rules/ruleCatalog.js';
import { ORDER_AGREEMENT } from './orderAgreementProjection.js';

export type EffectiveState = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';

export interface AcknowledgementRecord {
  note: string;
  acknowledgedBy: string;
  acknowledgedAt: Date;
  openCount: number;
}

export interface ReconciliationExceptionRecord {
  exceptionId: string;
  orderId: string;
  rule: RuleCode;
  /** '' or the payment id. */
  subject: string;
  owner: string;
  severity: Severity;
  state: EffectiveState;
  openedAt: Date;
  lastOpenedAt: Date;
  openCount: number;
  deadlineAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: Evidence | null;
  evidence: Evidence[];
  ageSeconds: number;
  acknowledgement: AcknowledgementRecord | null;
}

export interface ExceptionFilterInput {
  rules?: readonly string[] | null;
  owners?: readonly string[] | null;
  states?: readonly string[] | null;
  severities?: readonly string[] | null;
  orderId?: string | null;
  minAgeSeconds?: number | null;
  maxAgeSeconds?: number | null;
}

export interface ExceptionPageRecord {
  exceptions: ReconciliationExceptionRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ExceptionCountRecord {
  rule: RuleCode;
  owner: string;
  severity: Severity;
  state: EffectiveState;
  count: number;
}

export type OrderAgreementRecord = OrderAgreement;
export type LineAgreementRecord = LineAgreement;
export type EvidenceRecord = Evidence;

export interface ReconciliationLoaders {
  exceptions(filter: ExceptionFilterInput, first: number, after: string | null): Promise<ExceptionPageRecord>;
  exceptionById: DataLoader<string, ReconciliationExceptionRecord | null>;
  exceptionsByOrderId: DataLoader<string, ReconciliationExceptionRecord[]>;
  counts(filter: ExceptionFilterInput): Promise<ExceptionCountRecord[]>;
  agreementByOrderId: DataLoader<string, OrderAgreementRecord | null>;
  watermark(): Promise<Date | null>;
  acknowledge(exceptionId: string, note: string): Promise<ReconciliationExceptionRecord>;
}

export const MAX_PAGE = 500;

type Row = {
  exception_id: string; order_id: string; rule: RuleCode; subject: string; owner: string; severity: Severity; effective_state: EffectiveState;
  opened_at: Date; last_opened_at: Date; open_count: number; deadline_at: Date | null; resolved_at: Date | null; resolved_by: Evidence | null; evidence: Evidence[];
  age_seconds: number | string; note: string | null; acknowledged_by: string | null; acknowledged_at: Date | null;
};

const record = (r: Row): ReconciliationExceptionRecord => ({
  exceptionId: r.exception_id, orderId: r.order_id, rule: r.rule, subject: r.subject, owner: r.owner, severity: r.severity, state: r.effective_state,
  openedAt: r.opened_at, lastOpenedAt: r.last_opened_at, openCount: r.open_count, deadlineAt: r.deadline_at, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, evidence: r.evidence,
  ageSeconds: Math.floor(Number(r.age_seconds)),
  acknowledgement: r.note === null ? null : { note: r.note, acknowledgedBy: r.acknowledged_by!, acknowledgedAt: r.acknowledged_at!, openCount: r.open_count },
});

const encodeCursor = (r: ReconciliationExceptionRecord) => Buffer.from(JSON.stringify([r.lastOpenedAt.toISOString(), r.exceptionId])).toString('base64url');

function decodeCursor(after: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // falls through to the refusal
  }
  throw new ReconciliationError(ReconciliationErrorCode.BadUserInput, 'after is not a cursor this field issued: pass the endCursor of the previous page, or omit it for the first page.');
}

/**
 * The reconciliation projection's reads, and the steward's one write. Exceptions are read with
 * their acknowledgement (of the current opening) and their age against the watermark, both in
 * SQL, so filters on state and age are exact and paging is keyset (never offset).
 */
export function createReconciliationLoaders(db: Queryable, schema: string, actor: Actor | null): ReconciliationLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const exceptionsTable = t('reconciliation_exceptions');
  // Lazily, on first use: a request that reads nothing of it must not wait for (or fail on) it.
  const ready = () => ensureAcknowledgementsTable(db, schema);
  const watermarkSql = `(select watermark from ${contextTables(schema).settlements} where projection = '${ORDER_AGREEMENT}')`;
  const enriched = `select e.*, a.note, a.acknowledged_by, a.acknowledged_at,
      case when e.state = 'OPEN' and a.exception_id is not null then 'ACKNOWLEDGED' else e.state end as effective_state,
      case when e.state = 'RESOLVED' then extract(epoch from e.resolved_at - e.last_opened_at)
           else greatest(0, coalesce(extract(epoch from ${watermarkSql} - e.last_opened_at), 0)) end as age_seconds
    from ${exceptionsTable} e left join ${acknowledgementsTable(schema)} a on a.exception_id = e.exception_id and a.open_count = e.open_count`;

  const where = (filter: ExceptionFilterInput, params: unknown[]): string => {
    const clauses: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      clauses.push(sql(`$${params.length}`));
    };
    if (filter.rules?.length) add((p) => `rule = any(${p}::text[])`, filter.rules);
    if (filter.owners?.length) add((p) => `owner = any(${p}::text[])`, filter.owners);
    if (filter.states?.length) add((p) => `effective_state = any(${p}::text[])`, filter.states);
    if (filter.severities?.length) add((p) => `severity = any(${p}::text[])`, filter.severities);
    if (filter.orderId) add((p) => `order_id = ${p}`, filter.orderId);
    if (filter.minAgeSeconds !== null && filter.minAgeSeconds !== undefined) add((p) => `age_seconds >= ${p}`, filter.minAgeSeconds);
    if (filter.maxAgeSeconds !== null && filter.maxAgeSeconds !== undefined) add((p) => `age_seconds <= ${p}`, filter.maxAgeSeconds);
    return clauses.length > 0 ? `where ${clauses.join(' and ')}` : '';
  };

  const exceptionById = new DataLoader<string, ReconciliationExceptionRecord | null>(async (ids) => {
    await ready();
    const { rows } = await db.query<Row>(`select * from (${enriched}) x where exception_id = any($1::text[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.exception_id, record(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  return {
    async exceptions(filter, first, after) {
      if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw new ReconciliationError(ReconciliationErrorCode.BadUserInput, `first must be 0 to ${MAX_PAGE} (received ${first}); page with after.`);
      await ready();
      const params: unknown[] = [];
      let clause = where(filter, params);
      if (after !== null) {
        const [at, id] = decodeCursor(after);
        params.push(at, id);
        clause += `${clause ? ' and' : 'where'} (last_opened_at, exception_id) > ($${params.length - 1}::timestamptz, $${params.length})`;
      }
      params.push(first + 1);
      const { rows } = await db.query<Row>(`select * from (${enriched}) x ${clause} order by last_opened_at, exception_id limit $${params.length}`, params);
      const page = rows.slice(0, first).map(record);
      for (const r of page) exceptionById.prime(r.exceptionId, r);
      const hasNextPage = rows.length > first;
      return { exceptions: page, hasNextPage, endCursor: hasNextPage && page.length > 0 ? encodeCursor(page[page.length - 1]!) : null };
    },
    exceptionById,
    exceptionsByOrderId: new DataLoader(async (orderIds) => {
      await ready();
      const { rows } = await db.query<Row>(`select * from (${enriched}) x where order_id = any($1::text[]) order by order_id, exception_id`, [orderIds]);
      const groups = new Map<string, ReconciliationExceptionRecord[]>(orderIds.map((id) => [id, []]));
      for (const row of rows) groups.get(row.order_id)?.push(record(row));
      return orderIds.map((id) => groups.get(id) ?? []);
    }),
    async counts(filter) {
      await ready();
      const params: unknown[] = [];
      const { rows } = await db.query<{ rule: RuleCode; owner: string; severity: Severity; effective_state: EffectiveState; n: number }>(
        `select rule, owner, severity, effective_state, count(*)::int as n from (${enriched}) x ${where(filter, params)} group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
        params,
      );
      return rows.map((r) => ({ rule: r.rule, owner: r.owner, severity: r.severity, state: r.effective_state, count: r.n }));
    },
    agreementByOrderId: new DataLoader(async (orderIds) => {
      const { rows } = await db.query<{ order_id: string; agreement: OrderAgreement | null }>(`select order_id, agreement from ${t('order_agreements')} where order_id = any($1::text[])`, [orderIds]);
      const byId = new Map(rows.map((r) => [r.order_id, r.agreement]));
      return orderIds.map((id) => byId.get(id) ?? null);
    }),
    async watermark() {
      const { rows } = await db.query<{ watermark: Date | null }>(`select ${watermarkSql} as watermark`);
      return rows[0]?.watermark ?? null;
    },
    async acknowledge(exceptionId, note) {
      await ready();
      await acknowledgeException(db, schema, exceptionsTable, actor, exceptionId, note);
      exceptionById.clear(exceptionId);
      return (await exceptionById.load(exceptionId))!;
    },
  };
}
