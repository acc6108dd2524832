/**
 * Why a provisioning step could not give the tests what they need.
 * - `CANNOT_INSTALL`: a package is missing and this process may not, or failed to, install it.
 * - `CANNOT_START`: a service is down and its start command failed.
 * - `NOT_READY`: a service was started but did not answer within the bound.
 * - `UNREACHABLE`: a service that is not this machine's (a TEST_*_URL pointing elsewhere) does not answer; the tests never start those.
 * - `UNUSABLE`: the service answers but refuses the tests (credentials, permissions).
 * - `SETUP_STOPPED`: one or more of the above; the run stops before any test.
 */
export type ProvisioningErrorCode = 'CANNOT_INSTALL' | 'CANNOT_START' | 'NOT_READY' | 'UNREACHABLE' | 'UNUSABLE' | 'SETUP_STOPPED';

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';

  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    /** The exact command a person should run to fix it, when there is one. */
    readonly command?: string,
    /** For SETUP_STOPPED: every problem found, so one run tells all of them. */
    readonly problems: readonly ProvisioningError[] = [],
  ) {
    super(command ? `${message}\n    Run: ${command}` : message);
  }
}
