import { PlatformError, PlatformErrorCode } from '../errors/index.js';

// SQLSTATEs that mean "the server, not the statement": class 08 (connection exception),
// 57P01 admin_shutdown (a restart terminated the session), 57P02 crash_shutdown, 57P03
// cannot_connect_now (starting up or shutting down), 53300 too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// 40001 serialization_failure and 40P01 deadlock_detected: the transaction was rolled back and
// may simply be run again.
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);
// Socket errors of Node (errno codes) on the way to the server.
const NETWORK_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN']);
// node-postgres reports a lost or never-made connection without a code, in these words.
const DRIVER_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

/**
 * Classifies an error of node-postgres. Connection failures (server down, restarting, full, the
 * socket dropped, no connection within the pool's timeout) become DATABASE_UNAVAILABLE and
 * conflicts become TRANSACTION_CONFLICT, both `retriable`; the driver's error is kept as `cause`.
 * Everything else (a statement the server refused: syntax, constraint, missing table, a refused
 * password) is returned as it was, not retriable, so callers keep switching on its SQLSTATE.
 */
export function toDatabaseError(error: unknown): unknown {
  if (error instanceof PlatformError || !(error instanceof Error)) return error;
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : undefined;
  const tag = code ? ` [${code}]` : '';
  if (code !== undefined && CONFLICT_SQLSTATES.has(code)) {
    return new PlatformError(PlatformErrorCode.TransactionConflict, `PostgreSQL rolled the transaction back: ${error.message}${tag}`, { retriable: true, cause: error });
  }
  if ((code !== undefined && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || NETWORK_ERRNOS.has(code))) || DRIVER_CONNECTION_MESSAGES.test(error.message)) {
    return new PlatformError(PlatformErrorCode.DatabaseUnavailable, `PostgreSQL is unavailable: ${error.message || code}${tag}`, { retriable: true, cause: error });
  }
  return error;
}
