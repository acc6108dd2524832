/**
 * The logging port: what platform and gateway code call, so none of it imports pino. Levels and
 * call shapes are pino's (fields first, message last), so the adapter is a thin pass-through.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields of one line. An `err` field is serialized as an error (see describeError). */
export type LogFields = Readonly<Record<string, unknown>>;

export interface LogMethod {
  (message: string): void;
  (fields: LogFields, message: string): void;
}

export interface Logger {
  readonly fatal: LogMethod;
  readonly error: LogMethod;
  readonly warn: LogMethod;
  readonly info: LogMethod;
  readonly debug: LogMethod;
  readonly trace: LogMethod;
  /** A logger whose every line carries `bindings` (a component, a correlation id). */
  child(bindings: LogFields): Logger;
  /** For lines whose fields cost something to build: skip the work when the level is off. */
  isLevelEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
