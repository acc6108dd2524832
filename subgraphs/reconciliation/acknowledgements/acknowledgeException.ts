import { GraphQLError } from 'graphql';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';

/** Who acts: a principal of the gateway, by id and name. */
export interface Actor {
  id: string;
  name: string;
}

export const ReconciliationErrorCode = {
  ExceptionNotFound: 'EXCEPTION_NOT_FOUND',
  ExceptionNotOpen: 'EXCEPTION_NOT_OPEN',
  BadUserInput: 'BAD_USER_INPUT',
  NoActor: 'FORBIDDEN',
} as const;
export type ReconciliationErrorCode = (typeof ReconciliationErrorCode)[keyof typeof ReconciliationErrorCode];

/** A refused request, with its code in the GraphQL error's extensions. */
export class ReconciliationError extends GraphQLError {
  readonly code: ReconciliationErrorCode;
  constructor(code: ReconciliationErrorCode, message: string) {
    super(message, { extensions: { code } });
    this.name = 'ReconciliationError';
    this.code = code;
  }
}

export const MAX_NOTE_LENGTH = 2000;

/**
 * Stewards' acknowledgements live outside the projection's tables on purpose: they are not
 * derived from the log, so a rebuild (which recreates and swaps every derived table) must not
 * touch them. Keyed by exception id and the opening acknowledged, both stable across rebuilds.
 */
export const acknowledgementsTable = (schema: string) => `${quoteIdent(schema)}.exception_acknowledgements`;

const ensured = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Creates the acknowledgements table once per database handle and schema (the gateway may start
 * before the projector). Single-flight: the first requests after a start ask at the same time, and
 * concurrent `create ... if not exists` collide in PostgreSQL's catalog. A failed attempt is
 * forgotten, so the next request tries again.
 */
export function ensureAcknowledgementsTable(db: Queryable, schema: string): Promise<void> {
  let perSchema = ensured.get(db);
  if (!perSchema) {
    perSchema = new Map();
    ensured.set(db, perSchema);
  }
  let creating = perSchema.get(schema);
  if (!creating) {
    const forget = perSchema;
    creating = createAcknowledgementsTable(db, schema).catch((error: unknown) => {
      forget.delete(schema);
      throw error;
    });
    perSchema.set(schema, creating);
  }
  return creating;
}

/**
 * Catalog collisions of `if not exists` under concurrency: unique_violation, duplicate_table,
 * duplicate_schema, and duplicate_object (42710: the table's row type, created before the table,
 * already exists).
 */
const CREATED_MEANWHILE = new Set(['23505', '42P07', '42P06', '42710']);

async function createAcknowledgementsTable(db: Queryable, schema: string, attempt = 1): Promise<void> {
  try {
    await db.query(`create schema if not exists ${quoteIdent(schema)}`);
    await db.query(`create table if not exists ${acknowledgementsTable(schema)} (
      exception_id text not null, open_count int not null, note text not null,
      acknowledged_by text not null, acknowledged_by_id text not null, acknowledged_at timestamptz not null default now(),
      primary key (exception_id, open_count))`);
  } catch (error) {
    // Another process (a replica, the projector) created it between our check and our create: once
    // more, and `if not exists` sees it.
    if (attempt < 3 && CREATED_MEANWHILE.has(String((error as { code?: unknown }).code))) return createAcknowledgementsTable(db, schema, attempt + 1);
    throw error;
  }
}

/**
 * Records a steward's acknowledgement of an exception's current opening. Refused for an unknown
 * exception, a resolved one, or a note that is empty or too long. Acknowledging the same opening
 * again replaces the note (who and when too): the latest word of the steward is what counts.
 */
export async function acknowledgeException(db: Queryable, schema: string, exceptions: string, actor: Actor | null, exceptionId: string, note: string): Promise<void> {
  if (!actor) throw new ReconciliationError(ReconciliationErrorCode.NoActor, 'Acknowledging an exception needs a known principal with the steward right.');
  const trimmed = note.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NOTE_LENGTH) {
    throw new ReconciliationError(ReconciliationErrorCode.BadUserInput, `note must be 1 to ${MAX_NOTE_LENGTH} characters once trimmed (received ${trimmed.length}): say what is being done about the exception.`);
  }
  await ensureAcknowledgementsTable(db, schema);
  const { rows } = await db.query<{ state: string; open_count: number }>(`select state, open_count from ${exceptions} where exception_id = $1`, [exceptionId]);
  const exception = rows[0];
  if (!exception) throw new ReconciliationError(ReconciliationErrorCode.ExceptionNotFound, `No exception ${JSON.stringify(exceptionId)}. Ids look like SHIPPED_NOT_CAPTURED:ord-000123; list them with reconciliationExceptions.`);
  if (exception.state !== 'OPEN') throw new ReconciliationError(ReconciliationErrorCode.ExceptionNotOpen, `Exception ${exceptionId} is ${exception.state}: only an open exception can be acknowledged.`);
  await db.query(
    `insert into ${acknowledgementsTable(schema)} (exception_id, open_count, note, acknowledged_by, acknowledged_by_id) values ($1, $2, $3, $4, $5)
     on conflict (exception_id, open_count) do update set note = excluded.note, acknowledged_by = excluded.acknowledged_by, acknowledged_by_id = excluded.acknowledged_by_id, acknowledged_at = now()`,
    [exceptionId, exception.open_count, trimmed, actor.name, actor.id],
  );
}
