import type { Queryable } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, ApplyPlan, Candidate, Input } from './applyInputs.js';
import { bytesMayHoldUnstorableText, findUnstorableText, toStorableText } from './findUnstorableText.js';
import { QuarantineReasonCode } from './Projection.js';
import { provenanceOf } from './Provenance.js';
import type { DecodeResult } from './TopicDecoder.js';

/**
 * Stage 1 of `applyInputs`: records become candidate events (already-decoded inputs pass as
 * they are). A record that decodes to nothing is counted as ignored; one that cannot be decoded
 * (or whose decoder throws) becomes a quarantine entry. Stateful decoders (CDC) get their stored
 * state per key and give it back, written here in the caller's transaction.
 */
export async function decodeInputs<E extends EventEnvelope, S>(tx: Queryable, plan: ApplyPlan<E, S>, inputs: readonly Input<E>[], counts: ApplyCounts): Promise<Candidate<E>[]> {
  const { decoders, storage } = plan;
  // A state key is stored as text: one derived from a malformed key may hold what PostgreSQL
  // cannot store. Such records are rejected by their decoder anyway; the key only must not fail.
  const stateKeys: Array<[string, string]> = [];
  // Each record's state key, computed once (a translator may parse the record's key to find it)
  // and given to its decoder as the decoder made it; stored in its storable form.
  const stateKeyAt: Array<string | undefined> = [];
  const storedKeyAt: Array<string | undefined> = [];
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index]!;
    if (input.kind !== 'record') continue;
    const decoder = decoders.get(input.record.topic);
    if (decoder?.kind !== 'stateful') continue;
    try {
      const key = decoder.stateKey(input.record);
      const storedKey = toStorableText(key);
      stateKeyAt[index] = key;
      storedKeyAt[index] = storedKey;
      stateKeys.push([input.record.topic, storedKey]);
    } catch {
      // A stateKey that throws is a decoder bug: the record is quarantined below, when decoded.
    }
  }
  const stateOf = new Map<string, unknown>();
  const dirty = new Set<string>();
  const mapKey = (topic: string, key: string) => `${topic}\u0000${key}`;
  if (stateKeys.length > 0) {
    const { rows } = await tx.query<{ topic: string; state_key: string; state: unknown }>(
      `select s.topic, s.state_key, s.state from ${storage.engine.translatorState} s join unnest($1::text[], $2::text[]) k(topic, state_key) using (topic, state_key)`,
      [stateKeys.map((k) => k[0]), stateKeys.map((k) => k[1])],
    );
    for (const row of rows) stateOf.set(mapKey(row.topic, row.state_key), row.state);
  }

  const candidates: Candidate<E>[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index]!;
    if (input.kind === 'event') {
      candidates.push({ event: input.event, provenance: input.provenance });
      continue;
    }
    const { record } = input;
    const provenance = provenanceOf(record);
    const decoder = decoders.get(record.topic);
    let result: DecodeResult<E>;
    try {
      // What a decoder makes of storable bytes is storable when it takes its text from the record
      // (TopicDecoder.textFromRecord): byte searches then replace walking its events and state.
      const provenStorable = decoder?.textFromRecord === true && !bytesMayHoldUnstorableText(record.key) && !bytesMayHoldUnstorableText(record.value);
      if (!decoder) result = { kind: 'ignored', reason: `no decoder for topic ${record.topic}` };
      else if (decoder.kind === 'stateless') result = provenStorable ? decoder.decode(record) : storable(decoder.decode(record));
      else {
        const stateKey = stateKeyAt[index] ?? decoder.stateKey(record);
        const key = mapKey(record.topic, storedKeyAt[index] ?? toStorableText(stateKey));
        const decoded = decoder.decode(record, stateOf.get(key), stateKey);
        // The state given was storable (read from jsonb, or checked or proven when made), so a proof for
        // the record covers the state it leads to.
        const checked = provenStorable ? decoded.result : storable(decoded.result);
        const badState = provenStorable ? null : findUnstorableText(decoded.state);
        // Unstorable events or state would fail the batch: the record is rejected instead, and the
        // translator's state stays as before it, as for any record the translator itself rejects.
        if (checked !== decoded.result) result = checked;
        else if (badState) result = unstorable(badState, 'the translation state it leads to');
        else {
          stateOf.set(key, decoded.state);
          dirty.add(key);
          result = decoded.result;
        }
      }
    } catch (error) {
      // A decoder bug must not block the partition either: keep the record and say why.
      result = { kind: 'rejected', rejection: { code: QuarantineReasonCode.Untranslatable, reason: `decoder failed: ${(error as Error).message}` } };
    }
    switch (result.kind) {
      case 'events':
        for (const event of result.events) candidates.push({ event, provenance });
        break;
      case 'ignored':
        counts.ignored++;
        break;
      case 'rejected':
        counts.quarantined.push({ provenance, event: null, rejection: result.rejection });
        break;
    }
  }

  const changedKeys = [...dirty].map((k) => k.split('\u0000') as [string, string]);
  const kept = changedKeys.filter(([t, k]) => stateOf.get(mapKey(t, k)) !== undefined);
  const dropped = changedKeys.filter(([t, k]) => stateOf.get(mapKey(t, k)) === undefined);
  if (kept.length > 0) {
    await tx.query(
      `insert into ${storage.engine.translatorState} (topic, state_key, state) select t, k, s::jsonb from unnest($1::text[], $2::text[], $3::text[]) x(t, k, s)
       on conflict (topic, state_key) do update set state = excluded.state`,
      [kept.map((k) => k[0]), kept.map((k) => k[1]), kept.map(([t, k]) => JSON.stringify(stateOf.get(mapKey(t, k))))],
    );
  }
  if (dropped.length > 0) {
    await tx.query(`delete from ${storage.engine.translatorState} s using unnest($1::text[], $2::text[]) d(topic, state_key) where s.topic = d.topic and s.state_key = d.state_key`, [dropped.map((k) => k[0]), dropped.map((k) => k[1])]);
  }
  return candidates;
}

/** Events whose text PostgreSQL cannot store are rejected here, naming where, instead of failing the batch. */
function storable<E>(result: DecodeResult<E>): DecodeResult<E> {
  if (result.kind !== 'events') return result;
  for (const event of result.events) {
    const found = findUnstorableText(event);
    if (found) return unstorable(found, 'the event');
  }
  return result;
}

function unstorable<E>(found: NonNullable<ReturnType<typeof findUnstorableText>>, where: string): DecodeResult<E> {
  return { kind: 'rejected', rejection: { code: QuarantineReasonCode.InvalidPayload, reason: `${where} holds ${found.what} at ${found.path}, which PostgreSQL cannot store; the producer must send valid Unicode text without NUL characters` } };
}
