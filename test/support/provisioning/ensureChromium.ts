import { ensureDebianPackage } from './ensureDebianPackage.js';
import type { EnsureDebianPackageOptions } from './ensureDebianPackage.js';
import { commandSucceeds } from './runCommand.js';

/** Where Debian's `chromium` package puts the browser: what the browser tests launch (playwright-core, never a downloaded browser). */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export interface EnsureChromiumOptions extends Partial<Pick<EnsureDebianPackageOptions, 'mayInstall' | 'installCommands' | 'commandTimeoutMs'>> {
  /** The browser binary. Default CHROMIUM_EXECUTABLE. */
  executable?: string;
}

/**
 * The catalog web app's tests drive a real browser: Debian's `chromium`, through playwright-core
 * (which downloads nothing). Present means the binary runs (`--version`); otherwise the package is
 * installed with apt-get. Resolves with the line saying what it did, or undefined.
 */
export function ensureChromium(options: EnsureChromiumOptions = {}): Promise<string | undefined> {
  const executable = options.executable ?? CHROMIUM_EXECUTABLE;
  return ensureDebianPackage({
    packageName: 'chromium',
    purpose: 'the catalog web app tests drive it with playwright-core',
    isPresent: () => commandSucceeds({ command: executable, args: ['--version'] }, { timeoutMs: 30_000 }),
    mayInstall: options.mayInstall,
    installCommands: options.installCommands,
    // About 125 packages on a bare machine: more than a library's minutes on a slow mirror.
    commandTimeoutMs: options.commandTimeoutMs ?? 900_000,
  });
}
