import type { Database, Queryable } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { Input } from './applyInputs.js';
import { applyInputs } from './applyInputs.js';
import type { BoundedContext } from './BoundedContext.js';
import { contextTables, countProjectionChange, projectionStorage } from './projectionStorage.js';
import { settleProjection } from './settleProjection.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { ProvenanceRow } from './Provenance.js';
import { PROVENANCE_COLUMNS, provenanceFromRow } from './Provenance.js';
import { redactQuarantinedInput, scrubEmails } from './redactQuarantinedInput.js';

export interface QuarantinedRecord {
  quarantineId: number;
  projection: string;
  topic: string;
  partition: number;
  offset: number;
  reasonCode: string;
  /** Why it was quarantined. Redacted: with every payload value it quotes scrubbed. */
  reason: string;
  quarantinedAt: Date;
  /** `redriven` once re-driven, by hand or automatically: `redriveOutcome` says which, and what happened. */
  state: 'open' | 'redriven';
  redriveOutcome: RedriveOutcome | AutomaticRedriveOutcome | null;
  /** Which view `value` and `reason` are: see {@link QuarantineListOptions.payload}. */
  payload: QuarantinePayloadMode;
  /** The message key as text: an aggregate id, shown in both views. */
  key: string | null;
  /**
   * Original: the bytes as received (UTF-8 text). Redacted: the JSON document with every value
   * the context does not declare safe replaced by a placeholder (`"<redacted string, 17 chars>"`),
   * or, for bytes that are not JSON, only their length and SHA-256. Null for a tombstone.
   */
  value: string | null;
}

export interface QuarantineFilter {
  projection?: string;
  state?: 'open' | 'redriven';
  reasonCode?: string;
  limit?: number;
}

/** `redacted`: what anyone listing the quarantine sees. `original`: the stored bytes, on explicit request. */
export type QuarantinePayloadMode = 'redacted' | 'original';

export interface QuarantineListOptions extends QuarantineFilter {
  /**
   * Default `redacted`: quarantined inputs carry personal data (emails, addresses, card holder
   * names) and the listing is read by people and tools with no business seeing it. `original`
   * returns the bytes and reason as stored, for an operator who asks explicitly; the caller
   * records that access in the audit log (`quarantine.original`).
   */
  payload?: QuarantinePayloadMode;
  /**
   * The context whose `quarantineDisplay` says which fields are safe to show. Default: none, so
   * everything but the key is redacted (fail closed).
   */
  context?: Pick<BoundedContext<EventEnvelope>, 'quarantineDisplay'>;
}

/** Lists quarantine entries, oldest first, redacted unless `payload: 'original'` is asked for. */
export async function listQuarantine(db: Database, schema: string, options: QuarantineListOptions = {}): Promise<QuarantinedRecord[]> {
  const { rows } = await db.query<{ quarantine_id: string; projection: string; topic: string; partition: number; record_offset: string; reason_code: string; reason: string; quarantined_at: Date; quarantine_state: 'open' | 'redriven'; redrive_outcome: RedriveOutcome | AutomaticRedriveOutcome | null; record_key: Uint8Array | null; record_value: Uint8Array | null }>(
    `select quarantine_id, projection, topic, partition, record_offset, reason_code, reason, quarantined_at, quarantine_state, redrive_outcome, record_key, record_value
     from ${contextTables(schema).quarantine}
     where ($1::text is null or projection = $1) and ($2::text is null or quarantine_state = $2) and ($3::text is null or reason_code = $3)
     order by quarantine_id limit $4`,
    [options.projection ?? null, options.state ?? null, options.reasonCode ?? null, options.limit ?? 100],
  );
  const payload = options.payload ?? 'redacted';
  return rows.map((r) => {
    const key = r.record_key === null ? null : Buffer.from(r.record_key).toString('utf8');
    const value = r.record_value === null ? null : Buffer.from(r.record_value);
    const shown = payload === 'original' ? { value: value?.toString('utf8') ?? null, reason: r.reason } : redactQuarantinedInput(value, r.reason, options.context?.quarantineDisplay?.[r.topic] ?? [], key);
    return {
      quarantineId: Number(r.quarantine_id),
      projection: r.projection,
      topic: r.topic,
      partition: r.partition,
      offset: Number(r.record_offset),
      reasonCode: r.reason_code,
      reason: shown.reason,
      quarantinedAt: r.quarantined_at,
      state: r.quarantine_state,
      redriveOutcome: r.redrive_outcome,
      payload,
      key: key !== null && payload === 'redacted' ? scrubEmails(key) : key,
      value: shown.value,
    };
  });
}

/** How many quarantine entries a context holds per projection, reason and state. */
export interface QuarantineCount {
  projection: string;
  reasonCode: string;
  state: 'open' | 'redriven';
  entries: number;
}

/**
 * Entry counts per projection, reason code and state: one aggregate over the context's
 * quarantine, which stays small (records set aside, not traffic), for metrics and dashboards.
 */
export async function countQuarantine(db: Queryable, schema: string): Promise<QuarantineCount[]> {
  const { rows } = await db.query<{ projection: string; reason_code: string; quarantine_state: 'open' | 'redriven'; entries: number }>(
    `select projection, reason_code, quarantine_state, count(*)::int as entries from ${contextTables(schema).quarantine}
     group by projection, reason_code, quarantine_state order by projection, reason_code, quarantine_state`,
  );
  return rows.map((r) => ({ projection: r.projection, reasonCode: r.reason_code, state: r.quarantine_state, entries: r.entries }));
}

/** What a re-drive by hand did with an entry. */
export type RedriveOutcome = 'applied' | 'parked' | 'duplicate' | 'ignored' | 'quarantined-again';

/**
 * What the engine did with a gap-expired entry when the sequence it waited for arrived: applied
 * it (or quarantined it again, when the projection rejected it), in log order right after its
 * predecessor; or found it a duplicate (another event for that sequence came first in the log).
 */
export type AutomaticRedriveOutcome = 'applied-automatically' | 'quarantined-again-automatically' | 'duplicate-automatically';

const isAutomatic = (outcome: string | null): outcome is AutomaticRedriveOutcome => outcome?.endsWith('-automatically') ?? false;

/**
 * Re-drives open quarantine entries through the pipeline, after a fix (a translator or a schema
 * was corrected). Event-level entries re-enter ordering with their decoded event; record-level
 * ones are decoded again from their original bytes. Each entry is marked `redriven` with its
 * outcome; one that fails again gets a new entry with the new reason. A gap-expired entry needs
 * no re-drive: it applies automatically when its gap fills. An entry no longer open (re-driven
 * by hand or automatically) is refused.
 */
export async function redriveQuarantine<E extends EventEnvelope>(db: Database, context: BoundedContext<E>, schema: string, quarantineIds: number[]): Promise<Array<{ quarantineId: number; outcome: RedriveOutcome }>> {
  const decoders = new Map(context.decoders.map((d) => [d.topic, d]));
  const results: Array<{ quarantineId: number; outcome: RedriveOutcome }> = [];
  for (const quarantineId of quarantineIds) {
    const outcome = await db.transaction(async (tx) => {
      const { rows } = await tx.query<ProvenanceRow & { projection: string; event: E | null; quarantine_state: string; redrive_outcome: string | null; redriven_at: Date | null }>(
        `select projection, ${PROVENANCE_COLUMNS}, event, quarantine_state, redrive_outcome, redriven_at from ${contextTables(schema).quarantine} where quarantine_id = $1 for update`,
        [quarantineId],
      );
      const row = rows[0];
      if (!row) throw new PlatformError(PlatformErrorCode.NotFound, `No quarantine entry ${quarantineId} in schema ${schema}. Fix: list entries with \`npm run cli -- quarantine list\`.`);
      if (row.quarantine_state !== 'open') throw alreadyRedriven(quarantineId, row.redrive_outcome, row.redriven_at);
      const projection = context.projections.find((p) => p.name === row.projection);
      if (!projection) throw new PlatformError(PlatformErrorCode.NotFound, `Quarantine entry ${quarantineId} belongs to projection ${row.projection}, which context ${context.name} no longer has.`);
      const provenance = provenanceFromRow(row);
      const input: Input<E> = row.event
        ? { kind: 'event', event: row.event, provenance }
        : { kind: 'record', record: { ...provenance, headers: {}, timestamp: Date.now() } };
      const counts = await applyInputs(tx, { projection, decoders, storage: projectionStorage(schema, projection), keepsEvidence: false }, [input], { mode: 'redrive' });
      const result: RedriveOutcome = counts.quarantined.length > 0 ? 'quarantined-again' : counts.applied > 0 ? 'applied' : counts.parked > 0 ? 'parked' : counts.duplicates > 0 ? 'duplicate' : 'ignored';
      await tx.query(`update ${contextTables(schema).quarantine} set quarantine_state = 'redriven', redriven_at = now(), redrive_outcome = $2 where quarantine_id = $1`, [quarantineId, result]);
      // Applied outside any partition batch, so no checkpoint moves: count it.
      await countProjectionChange(tx, schema, projection.name);
      return result;
    });
    results.push({ quarantineId, outcome });
  }
  // What a re-drive applied is decided at once, at the watermark already reached (a re-drive
  // brings no new event time, so it does not move the watermark).
  for (const projection of context.projections) {
    if (projection.settlement) await settleProjection({ db }, projection, projectionStorage(schema, projection).tables, { schema, wait: true });
  }
  return results;
}

/** Only open entries can be re-driven; the message says who re-drove this one, when, and with what outcome. */
function alreadyRedriven(quarantineId: number, outcome: string | null, at: Date | null): PlatformError {
  const when = at ? ` at ${at.toISOString()}` : '';
  const message = isAutomatic(outcome)
    ? `Quarantine entry ${quarantineId} was already re-driven automatically${when} (outcome ${outcome}): the engine re-drove it when the sequence it waited for arrived, and it cannot apply twice. Only open entries can be re-driven.`
    : `Quarantine entry ${quarantineId} was already re-driven${when} (outcome ${outcome ?? 'unknown'}). Only open entries can be re-driven.`;
  return new PlatformError(PlatformErrorCode.ProjectionConflict, message);
}
