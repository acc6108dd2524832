import { spawn } from 'node:child_process';

/** A command as the provisioning steps run it and as they tell a person to run it. */
export interface CommandSpec {
  command: string;
  args: readonly string[];
  /** Added to this process's environment (e.g. DEBIAN_FRONTEND). Not shown by formatCommand: a person at a terminal does not need it. */
  env?: Readonly<Record<string, string>>;
}

export interface CommandResult {
  /** Exit code; null when the command could not be spawned, was killed, or ran past its bound. */
  exitCode: number | null;
  /** stdout and stderr interleaved, for error messages. */
  output: string;
}

export interface RunCommandOptions {
  /** Kill the command after this long. Default 300 000 ms: apt-get on a slow mirror, never forever. */
  timeoutMs?: number;
}

/** The command as a person would paste it into a shell. */
export function formatCommand(spec: CommandSpec): string {
  return [spec.command, ...spec.args].map(quoteShellWord).join(' ');
}

/**
 * Runs a command to completion with no standard input (CI has none, and nothing here may wait
 * for a person), collecting its output. Never throws: a command that cannot be run is a result.
 */
export function runCommand(spec: CommandSpec, options: RunCommandOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const finish = (exitCode: number | null, extra = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exitCode, output: output + extra });
    };
    const child = spawn(spec.command, [...spec.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.env },
    });
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null, `\n(killed after ${timeoutMs} ms)`);
    }, timeoutMs);
    child.on('error', (error) => finish(null, error.message));
    child.on('exit', (code) => {
      // A daemon started by the command (redis-server --daemonize, pg_ctl) may keep our pipes
      // open after the command itself has exited: wait briefly for the rest of the output, not for the daemon.
      const grace = setTimeout(() => finish(code), 200);
      child.once('close', () => {
        clearTimeout(grace);
        finish(code);
      });
    });
  });
}

/** Whether the command runs and exits 0. */
export async function commandSucceeds(spec: CommandSpec, options: RunCommandOptions = {}): Promise<boolean> {
  return (await runCommand(spec, options)).exitCode === 0;
}

/** The last lines of a command's output, on one line: where apt-get and pg_ctl say what went wrong. */
export function outputTail(output: string, lines = 5): string {
  return output.trim().split('\n').slice(-lines).join(' | ') || '(no output)';
}

function quoteShellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
