import { createHash } from 'node:crypto';
import type { Database } from '../database/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { Input } from './applyInputs.js';
import { applyInputs } from './applyInputs.js';
import type { BoundedContext } from './BoundedContext.js';
import { contextTables, projectionStorage } from './projectionStorage.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';

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
  state: 'open' | 'redriven';
  redriveOutcome: string | null;
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
  const { rows } = await db.query<{ quarantine_id: string; projection: string; topic: string; partition: number; record_offset: string; reason_code: string; reason: string; quarantined_at: Date; quarantine_state: 'open' | 'redriven'; redrive_outcome: string | null; record_key: Uint8Array | null; record_value: Uint8Array | null }>(
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

export type RedriveOutcome = 'applied' | 'parked' | 'duplicate' | 'ignored' | 'quarantined-again';

/**
 * Re-drives open quarantine entries through the pipeline, after a fix (a missing event arrived,
 * a translator was corrected). Event-level entries re-enter ordering with their decoded event;
 * record-level ones are decoded again from their original bytes. Each entry is marked
 * `redriven` with its outcome; one that fails again gets a new entry with the new reason.
 */
export async function redriveQuarantine<E extends EventEnvelope>(db: Database, context: BoundedContext<E>, schema: string, quarantineIds: number[]): Promise<Array<{ quarantineId: number; outcome: RedriveOutcome }>> {
  const decoders = new Map(context.decoders.map((d) => [d.topic, d]));
  const results: Array<{ quarantineId: number; outcome: RedriveOutcome }> = [];
  for (const quarantineId of quarantineIds) {
    const outcome = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ projection: string; topic: string; partition: number; record_offset: string; record_key: Uint8Array | null; record_value: Uint8Array | null; event: E | null; quarantine_state: string }>(
        `select projection, topic, partition, record_offset, record_key, record_value, event, quarantine_state from ${contextTables(schema).quarantine} where quarantine_id = $1 for update`,
        [quarantineId],
      );
      const row = rows[0];
      if (!row) throw new PlatformError(PlatformErrorCode.NotFound, `No quarantine entry ${quarantineId} in schema ${schema}. Fix: list entries with \`npm run cli -- quarantine list\`.`);
      if (row.quarantine_state !== 'open') throw new PlatformError(PlatformErrorCode.ProjectionConflict, `Quarantine entry ${quarantineId} was already re-driven.`);
      const projection = context.projections.find((p) => p.name === row.projection);
      if (!projection) throw new PlatformError(PlatformErrorCode.NotFound, `Quarantine entry ${quarantineId} belongs to projection ${row.projection}, which context ${context.name} no longer has.`);
      const provenance = { topic: row.topic, partition: row.partition, offset: Number(row.record_offset), key: row.record_key && Buffer.from(row.record_key), value: row.record_value && Buffer.from(row.record_value) };
      const input: Input<E> = row.event
        ? { kind: 'event', event: row.event, provenance }
        : { kind: 'record', record: { ...provenance, headers: {}, timestamp: Date.now() } };
      const counts = await applyInputs(tx, { projection, decoders, storage: projectionStorage(schema, projection), keepsEvidence: false }, [input], { mode: 'redrive' });
      const result: RedriveOutcome = counts.quarantined.length > 0 ? 'quarantined-again' : counts.applied > 0 ? 'applied' : counts.parked > 0 ? 'parked' : counts.duplicates > 0 ? 'duplicate' : 'ignored';
      await tx.query(`update ${contextTables(schema).quarantine} set quarantine_state = 'redriven', redriven_at = now(), redrive_outcome = $2 where quarantine_id = $1`, [quarantineId, result]);
      return result;
    });
    results.push({ quarantineId, outcome });
  }
  return results;
}

// Redaction of the quarantine listing, beside its only caller (a candidate for its own module,
// `redactQuarantinedInput.ts`, once it has a second one).

/** A run of at least this many characters of a hidden value, found in a reason, is scrubbed. */
const MIN_SCRUBBED_RUN = 4;
/** Keys that read as field names are shape, and shown; anything else could be data (an email used as a key). */
const FIELD_NAME = /^[A-Za-z_$][\w$-]{0,63}$/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

type PathSegment = { kind: 'key'; name: string } | { kind: 'each' };

/** `data.lines[].sku` → key data, key lines, each, key sku. `*` stays a key named `*`: the wildcard. */
function parseDisplayPath(path: string): PathSegment[] {
  return path.split('.').flatMap((part): PathSegment[] => {
    const name = part.replace(/(\[\])+$/, '');
    const each = (part.length - name.length) / 2;
    return [...(name ? [{ kind: 'key' as const, name }] : []), ...Array.from({ length: each }, () => ({ kind: 'each' as const }))];
  });
}

function isShown(allowed: readonly PathSegment[][], path: readonly PathSegment[]): boolean {
  return allowed.some((pattern) => pattern.length === path.length && pattern.every((p, i) => {
    const actual = path[i]!;
    if (p.kind === 'each' || actual.kind === 'each') return p.kind === actual.kind;
    return p.name === '*' || p.name === actual.name;
  }));
}

const scrubEmails = (text: string) => (text.includes('@') ? text.replace(EMAIL, '<redacted email>') : text);

function placeholder(value: string | number | boolean): string {
  if (typeof value === 'string') return `<redacted string, ${[...value].length} chars>`;
  return `<redacted ${typeof value}>`;
}

/**
 * Walks a parsed document: objects and arrays keep their shape, a scalar is shown only when its
 * path is declared. What is hidden and what is shown are both remembered, for the reason.
 */
function redactDocument(value: unknown, path: PathSegment[], allowed: readonly PathSegment[][], seen: { hidden: Set<string>; shown: Set<string> }): unknown {
  const { hidden, shown } = seen;
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => redactDocument(item, [...path, { kind: 'each' }], allowed, seen));
  if (typeof value === 'object') {
    let unnamed = 0;
    return Object.fromEntries(Object.entries(value).map(([key, child]) => {
      const shownKey = FIELD_NAME.test(key) ? key : `<redacted key ${++unnamed}>`;
      if (shownKey !== key) hidden.add(key);
      return [shownKey, redactDocument(child, [...path, { kind: 'key', name: key }], allowed, seen)];
    }));
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  // A declared field still never shows an email: a producer may put one where it does not belong.
  if (isShown(allowed, path)) {
    const text = typeof value === 'string' ? scrubEmails(value) : value;
    shown.add(String(text));
    return text;
  }
  if (typeof value !== 'boolean') hidden.add(String(value));
  return placeholder(value);
}

/**
 * Removes from a reason every value it may quote from the payload: a quoted hidden value, any
 * run of 4 or more characters (MIN_SCRUBBED_RUN) of a hidden value (also JSON-escaped, as reasons quote
 * with JSON.stringify, and as truncated snippets, as JSON.parse errors do), and any email.
 */
function scrubReason(reason: string, hidden: ReadonlySet<string>, shown: ReadonlySet<string> = new Set()): string {
  const covered = new Array<boolean>(reason.length).fill(false);
  const runAt = (text: string, i: number) => text.slice(i, i + MIN_SCRUBBED_RUN);
  const reasonRuns = new Set<string>();
  for (let i = 0; i + MIN_SCRUBBED_RUN <= reason.length; i++) reasonRuns.add(runAt(reason, i));
  for (const value of hidden) {
    if (value === '') continue;
    const quoted = JSON.stringify(value);
    for (let at = reason.indexOf(quoted); at !== -1; at = reason.indexOf(quoted, at + 1)) covered.fill(true, at, at + quoted.length);
    for (const needle of new Set([value, quoted.slice(1, -1)])) {
      const present = runsIn(needle, reasonRuns);
      for (let i = 0; i + MIN_SCRUBBED_RUN <= reason.length; ) {
        if (!present.has(runAt(reason, i))) {
          i++;
          continue;
        }
        let to = i + MIN_SCRUBBED_RUN;
        while (to < reason.length && needle.includes(reason.slice(i, to + 1))) to++;
        covered.fill(true, i, to);
        // Go on after the run: what follows is either more of the value (found from there) or not.
        i = to;
      }
    }
  }
  // What the listing shows anyway (the key, declared fields) is left readable where it stands as
  // a word of its own, even inside a hidden value's run (`journey-ord-1` hides, `ord-1` stays).
  for (const text of shown) {
    if (text.length < MIN_SCRUBBED_RUN) continue;
    for (let at = reason.indexOf(text); at !== -1; at = reason.indexOf(text, at + 1)) {
      if (!WORD_CHAR.test(reason[at - 1] ?? '') && !WORD_CHAR.test(reason[at + text.length] ?? '')) covered.fill(false, at, at + text.length);
    }
  }
  let out = '';
  for (let i = 0; i < reason.length; i++) {
    if (!covered[i]) out += reason[i];
    else if (i === 0 || !covered[i - 1]) out += '<redacted>';
  }
  return scrubEmails(out);
}

/** The reason's short runs that occur in the needle: one pass over it, so a large payload costs one scan. */
function runsIn(needle: string, runs: ReadonlySet<string>): Set<string> {
  const present = new Set<string>();
  for (let i = 0; i + MIN_SCRUBBED_RUN <= needle.length && present.size < runs.size; i++) {
    const run = needle.slice(i, i + MIN_SCRUBBED_RUN);
    if (runs.has(run)) present.add(run);
  }
  return present;
}

function describeOpaque(bytes: Buffer): string {
  return `<redacted: not JSON, ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}>`;
}

/**
 * The redacted view of a quarantined input: its value with only the declared paths shown (see
 * `QuarantineDisplay`), and its reason scrubbed of the values hidden. Bytes that are not JSON show
 * only their length and SHA-256, and no run of them survives in the reason.
 */
export function redactQuarantinedInput(value: Buffer | null, reason: string, displayPaths: readonly string[], key: string | null = null): { value: string | null; reason: string } {
  // The key is shown anyway (the aggregate id): scrubbing it from the reason would hide nothing.
  const shownKey = new Set<string>(key === null ? [] : [scrubEmails(key)]);
  const opaque = (bytes: Buffer, text: string) => ({ value: describeOpaque(bytes), reason: scrubReason(reason, new Set([text]), shownKey) });
  if (value === null) return { value: null, reason: scrubReason(reason, new Set()) };
  const text = value.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return opaque(value, text);
  }
  const seen = { hidden: new Set<string>(), shown: shownKey };
  let redacted: unknown;
  try {
    redacted = redactDocument(document, [], displayPaths.map(parseDisplayPath), seen);
  } catch {
    // Too deep to walk (a stack overflow on hostile nesting): show it as opaque, never as is.
    return opaque(value, text);
  }
  return { value: JSON.stringify(redacted), reason: scrubReason(reason, seen.hidden, seen.shown) };
}
