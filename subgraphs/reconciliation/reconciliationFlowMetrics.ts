import type { ContextFlowMetrics, FlowSample } from '../../platform/context/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import { contextTables } from '../../platform/projection/index.js';
import { ORDER_AGREEMENT } from './projections/orderAgreementProjection.js';

const OPEN = 'dpg_reconciliation_open_exceptions';
const OLDEST = 'dpg_reconciliation_oldest_open_exception_age_seconds';
const WATERMARK = 'dpg_reconciliation_event_time_watermark_seconds';

/**
 * What an operator alerts on: open exceptions per rule, owner, severity and whether a steward
 * owns them; the oldest open one per owner (age against the watermark, like the contract's); and
 * the watermark itself (a flat line means the deadlines stopped moving). Three aggregate statements.
 */
export const reconciliationFlowMetrics: ContextFlowMetrics = {
  metrics: [
    { name: OPEN, help: 'Exceptions whose condition holds now, per rule, owning context, severity and state (OPEN, or ACKNOWLEDGED by a steward).', labelNames: ['rule', 'owner', 'severity', 'state'] },
    { name: OLDEST, help: 'Age against the event-time watermark of the oldest open or acknowledged exception, per owning context.', labelNames: ['owner'] },
    { name: WATERMARK, help: 'The event time up to which reconciliation has decided its rules (unix seconds).', labelNames: [] },
  ],
  summaries: [
    { title: 'Open reconciliation exceptions per owner', metric: OPEN, by: ['owner', 'state'] },
    { title: 'Open reconciliation exceptions per rule', metric: OPEN, by: ['rule', 'owner', 'severity'] },
  ],
  async collect({ db, schema }) {
    const exceptions = `${quoteIdent(schema)}.reconciliation_exceptions`;
    const acknowledgements = `${quoteIdent(schema)}.exception_acknowledgements`;
    // The acknowledgements table appears with the first acknowledgement or read: until then nothing is acknowledged.
    const { rows: exists } = await db.query<{ found: boolean }>(`select to_regclass($1) is not null as found`, [`${quoteIdent(schema)}.exception_acknowledgements`]);
    const state = exists[0]?.found
      ? `case when exists (select 1 from ${acknowledgements} a where a.exception_id = e.exception_id and a.open_count = e.open_count) then 'ACKNOWLEDGED' else 'OPEN' end`
      : `'OPEN'`;
    const { rows: open } = await db.query<{ rule: string; owner: string; severity: string; state: string; n: number }>(
      `select rule, owner, severity, ${state} as state, count(*)::int as n from ${exceptions} e where e.state = 'OPEN' group by 1, 2, 3, 4`,
    );
    const { rows: watermark } = await db.query<{ at: Date | null }>(`select watermark as at from ${contextTables(schema).settlements} where projection = $1`, [ORDER_AGREEMENT]);
    const at = watermark[0]?.at ?? null;
    const { rows: oldest } = at
      ? await db.query<{ owner: string; age: number }>(`select owner, extract(epoch from $1::timestamptz - min(last_opened_at))::float8 as age from ${exceptions} where state = 'OPEN' group by owner`, [at])
      : { rows: [] };
    const samples: FlowSample[] = [
      ...open.map((r) => ({ name: OPEN, labels: { rule: r.rule, owner: r.owner, severity: r.severity, state: r.state }, value: r.n })),
      ...oldest.map((r) => ({ name: OLDEST, labels: { owner: r.owner }, value: Math.max(0, r.age) })),
    ];
    if (at) samples.push({ name: WATERMARK, labels: {}, value: at.getTime() / 1000 });
    return samples;
  },
};
