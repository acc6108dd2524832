import { ensureDebianPackage } from './ensureDebianPackage.js';
import type { EnsureDebianPackageOptions } from './ensureDebianPackage.js';
import { commandSucceeds } from './runCommand.js';

export interface EnsureLibrdkafkaOptions extends Partial<Pick<EnsureDebianPackageOptions, 'mayInstall' | 'installCommands' | 'commandTimeoutMs'>> {
  /** Debian package that ships the library. Default `librdkafka1`. */
  packageName?: string;
  /** Shared library the mock broker loads. Default `librdkafka.so.1`, the name mockKafkaBroker.py asks for. */
  library?: string;
  /** Python that runs mockKafkaBroker.py. Default `python3`. */
  python?: string;
}

/**
 * The Kafka test broker is librdkafka's mock cluster, loaded by mockKafkaBroker.py through
 * ctypes. Present means exactly that load succeeds (a build from source counts); otherwise
 * Debian's package is installed. Resolves with the line saying what it did, or undefined.
 */
export function ensureLibrdkafka(options: EnsureLibrdkafkaOptions = {}): Promise<string | undefined> {
  const library = options.library ?? 'librdkafka.so.1';
  const python = options.python ?? 'python3';
  return ensureDebianPackage({
    packageName: options.packageName ?? 'librdkafka1',
    purpose: 'the Kafka test broker loads it',
    isPresent: () => commandSucceeds({ command: python, args: ['-c', `import ctypes; ctypes.CDLL(${JSON.stringify(library)})`] }, { timeoutMs: 30_000 }),
    mayInstall: options.mayInstall,
    installCommands: options.installCommands,
    commandTimeoutMs: options.commandTimeoutMs,
  });
}
