import type { LogFields, Logger, LogLevel } from '../../platform/logging/index.js';

/**
 * `parent.child(bindings)`, made only when a line is written through it: a request's logger
 * (carrying its correlation id) is handed to every request, but where its level is off (warn and
 * above, tests and benches) most requests never write a line, and making a pino child per
 * request was a visible share of a small request's CPU. Levels are the parent's, as a child's are.
 */
export function deferChild(parent: Logger, bindings: LogFields): Logger {
  return new DeferredChild(parent, bindings);
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Its methods on the prototype: nothing made per request but the object itself (as with pino, call them on the logger). */
class DeferredChild implements Logger {
  #child: Logger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: LogFields,
  ) {}

  fatal(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('fatal', fieldsOrMessage, message);
  }
  error(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('error', fieldsOrMessage, message);
  }
  warn(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('warn', fieldsOrMessage, message);
  }
  info(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('info', fieldsOrMessage, message);
  }
  debug(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('debug', fieldsOrMessage, message);
  }
  trace(fieldsOrMessage: LogFields | string, message?: string): void {
    this.#write('trace', fieldsOrMessage, message);
  }
  child(more: LogFields): Logger {
    return this.#made().child(more);
  }
  isLevelEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return this.parent.isLevelEnabled(level);
  }

  #made(): Logger {
    return (this.#child ??= this.parent.child(this.bindings));
  }
  #write(level: Level, fieldsOrMessage: LogFields | string, message: string | undefined): void {
    if (typeof fieldsOrMessage === 'string') this.#made()[level](fieldsOrMessage);
    else this.#made()[level](fieldsOrMessage, message ?? '');
  }
}
