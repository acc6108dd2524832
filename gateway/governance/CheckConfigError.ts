/** Why `check` could not run at all (as opposed to findings): the CLI exits 2 on it. */
export const CHECK_CONFIG_INVALID = 'CHECK_CONFIG_INVALID';

class CheckConfigError extends Error {
  readonly code = CHECK_CONFIG_INVALID;

  constructor(message: string) {
    super(message);
    this.name = 'CheckConfigError';
  }
}

/** A setup problem: names the file or setting, what was found, and the fix. */
export function checkConfigError(message: string): Error {
  return new CheckConfigError(message);
}

export function isCheckConfigError(error: unknown): error is Error & { code: typeof CHECK_CONFIG_INVALID } {
  return error instanceof CheckConfigError;
}
