import { Writable } from 'node:stream';
import type { Logger, LogLevel } from '../../platform/logging/index.js';
import { createPinoLogger } from '../../platform/logging/index.js';

export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** The real logger (pino, redaction, serializers) writing into an array of parsed lines, for assertions. */
export function captureLogger(level: LogLevel = 'debug'): { logger: Logger; lines: LogLine[]; text: () => string } {
  const lines: LogLine[] = [];
  let pending = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createPinoLogger({ level, destination, format: 'json' }), lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}
