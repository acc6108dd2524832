/** What a log line says about an error: enough to act on, nothing a payload could have put there. */
export interface ErrorDescription {
  type: string;
  message: string;
  /** `code` of a PlatformError, a gateway error, a pg or Node error, when it has one. */
  code?: string;
  /** The retriable flag of a PlatformError (or any error carrying one): whether a retry can help. */
  retriable?: boolean;
  stack?: string;
  cause?: ErrorDescription;
}

/**
 * Serializes an error for the log. Only name, message, code, retriable flag, stack and cause are
 * kept: pg errors, for one, carry `detail` and `where` with row values in them, and a record's
 * bytes must never reach a log line. Non-errors are described by their type alone.
 */
export function describeError(error: unknown, depth = 0): ErrorDescription {
  if (!(error instanceof Error)) return { type: typeof error, message: typeof error === 'string' ? error : `non-error ${typeof error} thrown` };
  const { code, retriable } = error as { code?: unknown; retriable?: unknown };
  const described: ErrorDescription = { type: error.name, message: error.message };
  if (typeof code === 'string' || typeof code === 'number') described.code = String(code);
  if (typeof retriable === 'boolean') described.retriable = retriable;
  if (error.stack) described.stack = error.stack;
  // Causes chain (a PlatformError wrapping a driver error); three levels say enough.
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}
