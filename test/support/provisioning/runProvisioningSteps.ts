import { ProvisioningError } from './ProvisioningError.js';

/** One thing the tests need: resolves with the one line saying what it did, or undefined when it was already there. */
export type ProvisioningStep = () => Promise<string | undefined>;

/**
 * Runs sequences of steps side by side: steps within a sequence run in order and stop at the
 * first failure (package installs share dpkg's lock; a library check needs its interpreter first).
 * Prints each line as it comes. When any step fails, throws one SETUP_STOPPED error listing every
 * problem with its command, so one run tells a person everything to fix.
 */
export async function runProvisioningSteps(sequences: ReadonlyArray<readonly ProvisioningStep[]>, log: (line: string) => void): Promise<void> {
  const outcomes = await Promise.allSettled(
    sequences.map(async (sequence) => {
      for (const step of sequence) {
        const line = await step();
        if (line) log(line);
      }
    }),
  );
  const problems = outcomes.flatMap((outcome) => {
    if (outcome.status === 'fulfilled') return [];
    const reason: unknown = outcome.reason;
    if (reason instanceof ProvisioningError) return [reason];
    return [new ProvisioningError('SETUP_STOPPED', `unexpected failure: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`)];
  });
  if (problems.length === 0) return;
  const listed = problems.map((problem) => `  - [${problem.code}] ${problem.message.replaceAll('\n', '\n  ')}`).join('\n');
  throw new ProvisioningError(
    'SETUP_STOPPED',
    `Test setup stopped before any test ran: ${problems.length === 1 ? 'one thing the tests need is' : `${problems.length} things the tests need are`} missing.\n${listed}\nFix, then run the tests again.`,
    undefined,
    problems,
  );
}
