import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { pino } from 'pino';
import { describeError } from './describeError.js';
import type { LogFields, Logger, LogLevel, LogMethod } from './Logger.js';

export type LogFormat = 'json' | 'pretty';

export interface PinoLoggerOptions {
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /**
   * Where lines go. Default `stdout` (what containers collect). A stream is for tests. `stderr`
   * is for commands whose stdout is their answer (the CLI).
   */
  destination?: 'stdout' | 'stderr' | DestinationStream;
  /**
   * `json` (one object per line), `pretty` (pino-pretty, for a person at a terminal) or `auto`.
   * Default `auto`: pretty when the destination is a terminal, NODE_ENV is not `production` and
   * pino-pretty is installed (a dev dependency: a runtime image installed with `--omit=dev` has
   * none, and logs JSON).
   */
  format?: LogFormat | 'auto';
  /** Fields on every line. Default: pid and hostname (pino's). */
  base?: LogFields;
}

/**
 * Keys whose values never reach a log line, at any of the first three levels of a line's fields:
 * credentials (a header, an API key, a secret), GraphQL variables (a caller's input, which may be
 * an email address or a customer id) and record bytes or payloads (producers' data). The request
 * log writes none of them; this catches the line someone adds later.
 */
export const REDACTED_KEYS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'apiKey', 'api_key', 'password', 'secret', 'tokenizationSecret', 'variables', 'payload', 'recordKey', 'recordValue', 'record_key', 'record_value'] as const;

const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return [segment.startsWith('.') ? key : segment, `*${segment}`, `*.*${segment}`];
});

const require = createRequire(import.meta.url);
type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/** pino-pretty when installed; null in a runtime image without dev dependencies. */
function loadPretty(): PrettyFactory | null {
  try {
    return require('pino-pretty') as PrettyFactory;
  } catch {
    return null;
  }
}

/** Which format `auto` means here. Exported for its test: a terminal is hard to fake. */
export function chooseLogFormat(requested: LogFormat | 'auto', environment: { isTTY: boolean; nodeEnv: string | undefined; prettyAvailable: boolean }): LogFormat {
  if (requested === 'json') return 'json';
  if (!environment.prettyAvailable) return 'json';
  if (requested === 'pretty') return 'pretty';
  return environment.isTTY && environment.nodeEnv !== 'production' ? 'pretty' : 'json';
}

/** The logging port over pino: JSON lines with ISO times and level names, redaction, errors described. */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const target = options.destination ?? 'stdout';
  const fd = target === 'stderr' ? 2 : 1;
  const isTTY = typeof target === 'string' && Boolean((fd === 2 ? process.stderr : process.stdout).isTTY);
  const pretty = options.format === 'json' ? null : loadPretty();
  const format = chooseLogFormat(options.format ?? 'auto', { isTTY, nodeEnv: process.env.NODE_ENV, prettyAvailable: pretty !== null });
  // Synchronous writes: a line written just before process.exit (a forced shutdown) is not lost.
  const destination =
    typeof target !== 'string'
      ? target
      : format === 'pretty' && pretty
        ? pretty({ destination: fd, sync: true, colorize: isTTY, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
        : pino.destination({ dest: fd, sync: true });
  const root = pino(
    {
      level: options.level ?? 'info',
      ...(options.base === undefined ? {} : { base: options.base }),
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: readable, and what most log pipelines map on.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: describeError },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return wrap(root);
}

function wrap(logger: PinoLogger): Logger {
  const method = (level: Exclude<LogLevel, 'silent'>): LogMethod =>
    ((first: string | LogFields, message?: string) => {
      if (typeof first === 'string') logger[level](first);
      else logger[level](first, message);
    }) as LogMethod;
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    child: (bindings) => wrap(logger.child(bindings)),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
  };
}

let fallback: Logger | undefined;

/**
 * The logger of code that was given none (tests, library use, CLI commands): warnings and errors
 * only, as JSON on stderr, so nothing is lost and a test run is not flooded with request lines.
 * `npm start` passes its own logger everywhere.
 */
export function defaultLogger(): Logger {
  fallback ??= createPinoLogger({ level: 'warn', destination: 'stderr', format: 'json' });
  return fallback;
}
