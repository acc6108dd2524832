import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../platform/logging/index.js';
import { deferChild } from './deferChild.js';

function recordingLogger(bindings: LogFields = {}, lines: unknown[] = [], made: { children: number } = { children: 0 }): Logger & { lines: unknown[]; made: { children: number } } {
  const write = (level: string) => (a: LogFields | string, b?: string) => lines.push(typeof a === 'string' ? { level, ...bindings, msg: a } : { level, ...bindings, ...a, msg: b });
  return {
    lines,
    made,
    fatal: write('fatal'),
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('trace'),
    child: (more) => {
      made.children += 1;
      return recordingLogger({ ...bindings, ...more }, lines, made);
    },
    isLevelEnabled: (level) => level !== 'trace',
  };
}

describe('deferChild', () => {
  it('makes no child until a line is written, then writes every line with the bindings through one child', () => {
    const parent = recordingLogger();
    const logger = deferChild(parent, { correlationId: 'c-1' });
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(logger.isLevelEnabled('trace')).toBe(false);
    expect(parent.made.children).toBe(0);
    logger.warn({ route: '/x' }, 'slow');
    logger.info('done');
    logger.child({ component: 'c' }).error('failed');
    expect(parent.made.children).toBe(2);
    expect(parent.lines).toEqual([
      { level: 'warn', correlationId: 'c-1', route: '/x', msg: 'slow' },
      { level: 'info', correlationId: 'c-1', msg: 'done' },
      { level: 'error', correlationId: 'c-1', component: 'c', msg: 'failed' },
    ]);
  });
});
