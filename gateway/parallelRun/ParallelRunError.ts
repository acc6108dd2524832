/**
 * Why a parallel run could not reach a verdict (as opposed to a NO-GO): the CLI exits 2 on these.
 * Callers switch on `code`; the message names the option at fault (if any), what was received, and the fix.
 */
export const ParallelRunErrorCode = {
  /** --extracts is not a readable directory. */
  ExtractsDirectoryMissing: 'EXTRACTS_DIRECTORY_MISSING',
  /** The directory holds no extract for any day of the range: almost always the wrong directory or range. */
  NoExtractsInRange: 'NO_EXTRACTS_IN_RANGE',
  /** --from / --to are not dates, or not in order, or too far apart. */
  RangeInvalid: 'RANGE_INVALID',
  /** --threshold is not a whole number of divergences. */
  ThresholdInvalid: 'THRESHOLD_INVALID',
  /** The finance_recognized_sale contract could not be read (database, schemas, projections never run). */
  NewSideUnreadable: 'NEW_SIDE_UNREADABLE',
} as const;
export type ParallelRunErrorCode = (typeof ParallelRunErrorCode)[keyof typeof ParallelRunErrorCode];

class ParallelRunError extends Error {
  readonly code: ParallelRunErrorCode;

  constructor(code: ParallelRunErrorCode, message: string) {
    super(message);
    this.name = 'ParallelRunError';
    this.code = code;
  }
}

/** A setup problem: the message names the option (when one is at fault), what was received, and the fix. */
export function parallelRunError(code: ParallelRunErrorCode, message: string): Error {
  return new ParallelRunError(code, message);
}

export function isParallelRunError(error: unknown): error is Error & { code: ParallelRunErrorCode } {
  return error instanceof ParallelRunError;
}
