import { describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.js';

describe('loadConfig', () => {
  it('selects the embedded adapters when no service URL is set', () => {
    const config = loadConfig({});
    expect(config.eventLog.kind).toBe('embedded');
    expect(config.database.kind).toBe('pglite');
    expect(config.cache.kind).toBe('memory');
    expect(config.http.port).toBe(4000);
  });

  it('selects the service adapters from KAFKA_BROKERS, DATABASE_URL and REDIS_URL', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'k1:9092, k2:9092', DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(config.eventLog).toMatchObject({ kind: 'kafka', brokers: ['k1:9092', 'k2:9092'] });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x' });
    expect(config.cache).toEqual({ kind: 'redis', url: 'redis://cache:6379' });
  });

  it('names every bad setting, what it received and the fix, in one error', () => {
    let message = '';
    try {
      loadConfig({ KAFKA_BROKERS: 'nohost', DATABASE_URL: 'mysql://u:secret@db/x', PORT: 'eighty', SIMULATOR: 'yes' });
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    }
    expect(message).toMatch(/KAFKA_BROKERS="nohost" must be a comma-separated list of host:port.*Fix: KAFKA_BROKERS=localhost:9092/);
    expect(message).toMatch(/DATABASE_URL=.* is not a postgres: or postgresql: URL\. Fix:/);
    expect(message).not.toContain('secret');
    expect(message).toMatch(/PORT="eighty" is not an integer from 0 to 65535\. Fix: set PORT/);
    expect(message).toMatch(/SIMULATOR="yes" must be "on" or "off"/);
  });
});
