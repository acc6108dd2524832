import type { Queryable } from '../database/index.js';
import type { QuarantineEntry } from './applyInputs.js';
import type { ProjectionStorage } from './projectionStorage.js';
import { toStorableText } from './findUnstorableText.js';
import { hexOf } from './Provenance.js';
import type { AutomaticRedriveOutcome } from './quarantineOperations.js';

/**
 * Stage 6: the batch's new quarantine entries, `open`, or already `redriven` when the engine
 * re-drove them later in the same batch; and the stored entries it re-drove automatically,
 * marked `redriven` with their outcome. Set-based, in the caller's transaction.
 */
export async function writeQuarantine(tx: Queryable, storage: ProjectionStorage, projectionName: string, entries: readonly QuarantineEntry[], recovered: ReadonlyArray<{ quarantineId: number; outcome: AutomaticRedriveOutcome }>): Promise<void> {
  if (entries.length > 0) {
    await tx.query(
      `insert into ${storage.quarantine} (projection, topic, partition, record_offset, record_key, record_value, event, reason_code, reason, quarantine_state, redriven_at, redrive_outcome)
       select $1, t, p, o, decode(k, 'hex'), decode(v, 'hex'), e::jsonb, c, r,
         case when outcome is null then 'open' else 'redriven' end, case when outcome is null then null else now() end, outcome
       from unnest($2::text[], $3::int[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) u(t, p, o, k, v, e, c, r, outcome)`,
      [
        projectionName,
        entries.map((e) => e.provenance.topic),
        entries.map((e) => e.provenance.partition),
        entries.map((e) => e.provenance.offset),
        entries.map((e) => hexOf(e.provenance.key)),
        entries.map((e) => hexOf(e.provenance.value)),
        entries.map((e) => (e.event === null ? null : JSON.stringify(e.event))),
        entries.map((e) => e.rejection.code),
        // A reason may quote what was received: it must not fail the insert that keeps the record.
        entries.map((e) => toStorableText(e.rejection.reason)),
        entries.map((e) => e.automaticOutcome ?? null),
      ],
    );
  }
  if (recovered.length > 0) {
    await tx.query(
      `update ${storage.quarantine} q set quarantine_state = 'redriven', redriven_at = now(), redrive_outcome = r.outcome
       from unnest($1::int8[], $2::text[]) r(quarantine_id, outcome) where q.quarantine_id = r.quarantine_id`,
      [recovered.map((r) => r.quarantineId), recovered.map((r) => r.outcome)],
    );
  }
}
