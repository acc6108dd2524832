import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import { chooseLogFormat, createPinoLogger } from './createPinoLogger.js';

/** A logger writing into an array of parsed lines. */
function capture(level: 'info' | 'debug' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createPinoLogger({ level, destination, format: 'json' }) };
}

describe('createPinoLogger', () => {
  it('writes one JSON object per line, with the level by name, an ISO time and child bindings', () => {
    const { lines, logger } = capture();
    logger.child({ component: 'projector', schema: 's1' }).info({ partition: 3 }, 'batch committed');
    logger.debug('not at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'batch committed', component: 'projector', schema: 's1', partition: 3 });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it('redacts credentials, variables and record bytes at any of the first three levels', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        authorization: 'Bearer dpg_secret',
        headers: { authorization: 'Bearer dpg_secret', 'x-api-key': 'dpg_secret', cookie: 'dpg_session=secret' },
        request: { body: { variables: { email: 'ann@example.com' } }, apiKey: 'dpg_secret' },
        record: { recordValue: 'ann@example.com', payload: { email: 'ann@example.com' } },
      },
      'a line someone added later',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('ann@example.com');
    expect(lines[0]).toMatchObject({ authorization: '[redacted]', headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]' }, request: { body: { variables: '[redacted]' }, apiKey: '[redacted]' } });
  });

  it("describes an error by type, message, code and retriable flag, never a driver's detail", () => {
    const { lines, logger } = capture();
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "orders_pkey"'), { code: '23505', detail: 'Key (customer_email)=(ann@example.com) already exists.' });
    logger.error({ err: new PlatformError(PlatformErrorCode.DatabaseUnavailable, 'batch failed', { retriable: true, cause: driver }) }, 'projector batch failed');
    const err = lines[0]!.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'PlatformError', message: 'batch failed', code: 'DATABASE_UNAVAILABLE', retriable: true, cause: { type: 'Error', code: '23505' } });
    expect(JSON.stringify(lines[0])).not.toContain('ann@example.com');
  });
});

describe('chooseLogFormat', () => {
  it('is pretty only for a terminal outside production, and only when pino-pretty is installed', () => {
    expect(chooseLogFormat('auto', { isTTY: true, nodeEnv: undefined, prettyAvailable: true })).toBe('pretty');
    expect(chooseLogFormat('auto', { isTTY: false, nodeEnv: undefined, prettyAvailable: true })).toBe('json');
    expect(chooseLogFormat('auto', { isTTY: true, nodeEnv: 'production', prettyAvailable: true })).toBe('json');
    expect(chooseLogFormat('auto', { isTTY: true, nodeEnv: undefined, prettyAvailable: false })).toBe('json');
    expect(chooseLogFormat('pretty', { isTTY: false, nodeEnv: 'production', prettyAvailable: false })).toBe('json');
  });
});
