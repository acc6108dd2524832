import { ProvisioningError } from './ProvisioningError.js';
import { formatCommand, outputTail, runCommand } from './runCommand.js';
import type { CommandSpec } from './runCommand.js';

export interface EnsureDebianPackageOptions {
  /** The Debian package, e.g. `librdkafka1` or `chromium`. */
  packageName: string;
  /** What the tests use it for, named in errors so a person knows why it is asked for. Default: none. */
  purpose?: string;
  /**
   * Whether what the tests need is there. Default: dpkg reports the package installed. A step
   * may pass a truer check (the library loads, the binary runs), so a build from source counts too.
   */
  isPresent?: () => Promise<boolean>;
  /** Whether this process may install packages. Default: it runs as root (apt-get needs it; sudo would ask for a password CI cannot type). */
  mayInstall?: boolean;
  /**
   * Commands that install it, run in order. Default: `apt-get update` (a fresh machine has no
   * package lists), then `apt-get install -y <package>`, both non-interactive.
   */
  installCommands?: readonly CommandSpec[];
  /** Bound for each install command. Default 300 000 ms. */
  commandTimeoutMs?: number;
}

/** The default install: what a person would type, run without prompts. */
export function aptGetInstallCommands(packageName: string): CommandSpec[] {
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  return [
    { command: 'apt-get', args: ['update'], env },
    { command: 'apt-get', args: ['install', '-y', packageName], env },
  ];
}

/** Whether dpkg has the package installed (not merely known, removed, or half-configured). */
export function isDebianPackageInstalled(packageName: string): Promise<boolean> {
  return runCommand({ command: 'dpkg-query', args: ['-W', '-f=${db:Status-Status}', packageName] }, { timeoutMs: 30_000 }).then(
    (result) => result.exitCode === 0 && result.output.trim() === 'installed',
  );
}

/**
 * Makes sure a Debian package the tests need is there, installing it when missing.
 * Resolves with the one line saying what it installed, or undefined when it was already there;
 * throws a ProvisioningError naming the exact command when it may not or could not install it.
 */
export async function ensureDebianPackage(options: EnsureDebianPackageOptions): Promise<string | undefined> {
  const { packageName } = options;
  const isPresent = options.isPresent ?? (() => isDebianPackageInstalled(packageName));
  if (await isPresent()) return undefined;

  const commands = options.installCommands ?? aptGetInstallCommands(packageName);
  const shown = commands.map(formatCommand).join(' && ');
  const what = options.purpose ? `${packageName} (${options.purpose})` : packageName;
  const mayInstall = options.mayInstall ?? process.getuid?.() === 0;
  if (!mayInstall) {
    throw new ProvisioningError('CANNOT_INSTALL', `${what} is not installed, and installing it needs root, which this process is not: run as root`, shown);
  }
  for (const spec of commands) {
    const result = await runCommand(spec, { timeoutMs: options.commandTimeoutMs });
    if (result.exitCode !== 0) {
      throw new ProvisioningError(
        'CANNOT_INSTALL',
        `${what} is not installed, and installing it failed: \`${formatCommand(spec)}\` exited with ${result.exitCode ?? 'no exit code'}: ${outputTail(result.output)}`,
        shown,
      );
    }
  }
  if (!(await isPresent())) {
    throw new ProvisioningError('CANNOT_INSTALL', `${what} is still missing after \`${shown}\` succeeded`, shown);
  }
  return `installed ${packageName} (${shown})`;
}
