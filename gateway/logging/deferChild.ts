import type { LogFields, Logger, LogMethod } from '../../platform/logging/index.js';

/**
 * `parent.child(bindings)`, made only when a line is written through it: a request's logger
 * (carrying its correlation id) is handed to every request, but where its level is off (warn and
 * above, tests and benches) most requests never write a line, and making a pino child per
 * request was a visible share of a small request's CPU. Levels are the parent's, as a child's are.
 */
export function deferChild(parent: Logger, bindings: LogFields): Logger {
  let child: Logger | null = null;
  const made = () => (child ??= parent.child(bindings));
  const method = (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'): LogMethod =>
    ((fieldsOrMessage: LogFields | string, message?: string) => {
      if (typeof fieldsOrMessage === 'string') made()[level](fieldsOrMessage);
      else made()[level](fieldsOrMessage, message ?? '');
    }) as LogMethod;
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    child: (more) => made().child(more),
    isLevelEnabled: (level) => parent.isLevelEnabled(level),
  };
}
