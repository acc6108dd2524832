export { describeError } from './describeError.js';
export type { ErrorDescription } from './describeError.js';
export { chooseLogFormat, createPinoLogger, defaultLogger, REDACTED_KEYS } from './createPinoLogger.js';
export type { LogFormat, PinoLoggerOptions } from './createPinoLogger.js';
export { isLogLevel, LOG_LEVELS } from './Logger.js';
export type { LogFields, Logger, LogLevel, LogMethod } from './Logger.js';
