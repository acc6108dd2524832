import type { PrincipalProblem } from './validatePrincipalSpec.js';

/** Why a principal store operation was refused. Callers (CLI, admin routes) switch on `code`. */
export const PrincipalStoreErrorCode = {
  SpecInvalid: 'PRINCIPAL_SPEC_INVALID',
  NameTaken: 'PRINCIPAL_NAME_TAKEN',
  NotFound: 'PRINCIPAL_NOT_FOUND',
  Revoked: 'PRINCIPAL_REVOKED',
  KeyNotFound: 'API_KEY_NOT_FOUND',
} as const;
export type PrincipalStoreErrorCode = (typeof PrincipalStoreErrorCode)[keyof typeof PrincipalStoreErrorCode];

/** Internal: recognised with `isPrincipalStoreError`. */
export class PrincipalStoreError extends Error {
  readonly code: PrincipalStoreErrorCode;
  /** For `SpecInvalid`: every problem, each naming its field. Empty otherwise. */
  readonly problems: readonly PrincipalProblem[];

  constructor(code: PrincipalStoreErrorCode, message: string, problems: readonly PrincipalProblem[] = []) {
    super(message);
    this.name = 'PrincipalStoreError';
    this.code = code;
    this.problems = problems;
  }
}

export function isPrincipalStoreError(error: unknown, code?: PrincipalStoreErrorCode): error is PrincipalStoreError {
  return error instanceof PrincipalStoreError && (code === undefined || error.code === code);
}
