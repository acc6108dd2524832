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

  it('reads the producer linger and the retention-gap policy, and refuses bad values with the fix', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092' }).eventLog).toMatchObject({ kind: 'kafka', lingerMs: 5, retentionGap: 'halt' });
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_LINGER_MS: '0', EVENT_LOG_RETENTION_GAP: 'accept' }).eventLog).toMatchObject({ lingerMs: 0, retentionGap: 'accept' });
    expect(loadConfig({}).eventLog).toMatchObject({ kind: 'embedded', retentionGap: 'halt' });
    let message = '';
    try {
      loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_LINGER_MS: '5ms', EVENT_LOG_RETENTION_GAP: 'skip' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/KAFKA_LINGER_MS="5ms" is not an integer from 0 to 1000\. Fix: set KAFKA_LINGER_MS to e\.g\. 5/);
    expect(message).toMatch(/EVENT_LOG_RETENTION_GAP="skip" must be "halt" or "accept"\. Fix:/);
  });
});

describe('loadConfig: access settings', () => {
  const messageOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      return (error as Error).message;
    }
    throw new Error('expected loadConfig to refuse the configuration');
  };

  it('accepts API keys only, with no tokenization secret, when nothing is set', () => {
    expect(loadConfig({}).access).toEqual({ jwt: null, tokenizationSecret: null });
  });

  it('reads a JWT issuer with a JWKS URL or a public key file', () => {
    expect(loadConfig({ JWT_ISSUER: 'https://login.example.com/', JWT_AUDIENCE: 'gateway', JWT_JWKS_URL: 'https://login.example.com/jwks.json' }).access.jwt).toEqual({ issuer: 'https://login.example.com/', audience: 'gateway', jwksUrl: 'https://login.example.com/jwks.json' });
    expect(loadConfig({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', JWT_PUBLIC_KEY_FILE: '/etc/gateway/issuer.pem' }).access.jwt).toEqual({ issuer: 'iss', audience: 'aud', publicKeyFile: '/etc/gateway/issuer.pem' });
    // Plain http only for a key server on this machine.
    expect(loadConfig({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }).access.jwt).toMatchObject({ jwksUrl: 'http://127.0.0.1:8080/jwks.json' });
  });

  it('refuses a partial JWT configuration, naming what is missing', () => {
    expect(messageOf({ JWT_JWKS_URL: 'https://login.example.com/jwks.json' })).toContain('JWT settings are all or nothing: JWT_JWKS_URL is set but JWT_ISSUER and JWT_AUDIENCE are not. Fix: set JWT_ISSUER and JWT_AUDIENCE');
    expect(messageOf({ JWT_ISSUER: 'iss', JWT_JWKS_URL: 'https://x/jwks.json' })).toContain('JWT_ISSUER, JWT_JWKS_URL are set but JWT_AUDIENCE is not');
    expect(messageOf({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' })).toContain('JWT settings need one key source: neither JWT_JWKS_URL nor JWT_PUBLIC_KEY_FILE is set. Fix:');
    expect(messageOf({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', JWT_JWKS_URL: 'https://x/jwks.json', JWT_PUBLIC_KEY_FILE: '/k.pem' })).toContain('JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE are both set; tokens are verified with exactly one key source. Fix: unset one of them.');
    expect(messageOf({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', JWT_JWKS_URL: 'http://login.example.com/jwks.json' })).toContain('JWT_JWKS_URL="http://login.example.com/jwks.json" is not an https URL (http only on localhost)');
  });

  it('needs a tokenization secret of at least 32 characters, and never prints it', () => {
    expect(loadConfig({ TOKENIZATION_SECRET: 'x'.repeat(32) }).access.tokenizationSecret).toBe('x'.repeat(32));
    const message = messageOf({ TOKENIZATION_SECRET: 'hunter2-too-short', PORT: 'eighty' });
    expect(message).toContain('TOKENIZATION_SECRET is 17 characters; it needs at least 32');
    expect(message).toContain('Fix: TOKENIZATION_SECRET=$(openssl rand -base64 48)');
    expect(message).not.toContain('hunter2');
    expect(message).toContain('PORT="eighty"'); // reported with the others, at once
  });
});

describe('loadConfig: metrics access', () => {
  it('keeps /metrics for operators unless METRICS_PUBLIC=true', () => {
    expect(loadConfig({}).metrics).toEqual({ access: 'operate' });
    expect(loadConfig({ METRICS_PUBLIC: 'false' }).metrics).toEqual({ access: 'operate' });
    expect(loadConfig({ METRICS_PUBLIC: 'true' }).metrics).toEqual({ access: 'public' });
  });

  it('refuses anything but true or false, naming the setting and the fix', () => {
    expect(() => loadConfig({ METRICS_PUBLIC: 'yes' })).toThrow(/METRICS_PUBLIC="yes" must be "true" or "false"\. Fix: METRICS_PUBLIC=true only where/);
  });
});

describe('loadConfig: contract reads compiled to SQL', () => {
  it('compiles contract reads to SQL unless CONTRACT_SQL_PLANNING=off', () => {
    expect(loadConfig({}).gateway).toEqual({ contractSqlPlanning: 'on' });
    expect(loadConfig({ CONTRACT_SQL_PLANNING: 'on' }).gateway).toEqual({ contractSqlPlanning: 'on' });
    expect(loadConfig({ CONTRACT_SQL_PLANNING: 'off' }).gateway).toEqual({ contractSqlPlanning: 'off' });
  });

  it('refuses anything but on or off, naming the setting, what it received and the fix', () => {
    expect(() => loadConfig({ CONTRACT_SQL_PLANNING: 'false' })).toThrow(/CONTRACT_SQL_PLANNING="false" must be "on" or "off"\. Fix: unset it .*CONTRACT_SQL_PLANNING=off/);
  });
});

describe('loadConfig: ROLE', () => {
  const services = { KAFKA_BROKERS: 'kafka:9092', DATABASE_URL: 'postgres://u@db:5432/x' };
  const messageOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      return (error as Error).message;
    }
    throw new Error('expected loadConfig to refuse the configuration');
  };

  it('runs every part in one process by default, on the embedded defaults too', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ ROLE: 'all' }).role).toBe('all');
  });

  it('accepts each split role where the log and the database are shared services', () => {
    expect(loadConfig({ ...services, ROLE: 'gateway' }).role).toBe('gateway');
    expect(loadConfig({ ...services, ROLE: 'projector' }).role).toBe('projector');
    // A simulator only produces: it needs the broker, not the database.
    expect(loadConfig({ KAFKA_BROKERS: 'kafka:9092', ROLE: 'simulator' }).role).toBe('simulator');
  });

  it('refuses an unknown role, listing the roles', () => {
    expect(messageOf({ ROLE: 'worker' })).toContain('ROLE="worker" is not a role: use one of all, gateway, projector, simulator. Fix:');
  });

  it('refuses a split role on the embedded defaults, saying why and what to set', () => {
    expect(messageOf({ ROLE: 'projector' })).toMatch(/ROLE=projector needs KAFKA_BROKERS and DATABASE_URL: .*embedded defaults .* exist inside one process only\. Fix: set KAFKA_BROKERS=host:9092 and DATABASE_URL=postgres:/);
    expect(messageOf({ ROLE: 'gateway', KAFKA_BROKERS: 'kafka:9092' })).toMatch(/ROLE=gateway needs DATABASE_URL: .*Fix: set DATABASE_URL=postgres:/);
    expect(messageOf({ ROLE: 'gateway', DATABASE_URL: 'postgres://u@db/x' })).toMatch(/ROLE=gateway needs KAFKA_BROKERS: /);
    expect(messageOf({ ROLE: 'simulator' })).toMatch(/ROLE=simulator needs KAFKA_BROKERS: /);
  });

  it('refuses a simulator role that would simulate nothing', () => {
    expect(messageOf({ KAFKA_BROKERS: 'kafka:9092', ROLE: 'simulator', SIMULATOR: 'off' })).toContain('ROLE=simulator with SIMULATOR=off would run nothing.');
  });

  it('names a bad DATABASE_URL once, not also as missing for the role', () => {
    const message = messageOf({ ...services, DATABASE_URL: 'mysql://db/x', ROLE: 'projector' });
    expect(message).toContain('DATABASE_URL="mysql://db/x" is not a postgres: or postgresql: URL');
    expect(message).not.toContain('ROLE=projector needs');
  });
});

describe('loadConfig: logs and shutdown', () => {
  it('logs at info and gives shutdown 10 s unless told otherwise', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info' });
    expect(loadConfig({}).shutdown).toEqual({ deadlineMs: 10_000 });
    expect(loadConfig({ LOG_LEVEL: 'debug', SHUTDOWN_DEADLINE_SECONDS: '25' })).toMatchObject({ log: { level: 'debug' }, shutdown: { deadlineMs: 25_000 } });
  });

  it('refuses an unknown level and a deadline that is not a whole number of seconds, naming both', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose', SHUTDOWN_DEADLINE_SECONDS: '0.5' })).toThrow(
      /LOG_LEVEL="verbose" is not a log level \(fatal, error, warn, info, debug, trace, silent\)\. Fix: LOG_LEVEL=debug[\s\S]*SHUTDOWN_DEADLINE_SECONDS="0\.5" is not an integer from 1 to 3600/,
    );
  });
});

describe('loadConfig: RESPONSE_CACHE', () => {
  it('is off unless RESPONSE_CACHE=on, which takes the TTL and size bounds (defaults 300 s, 1024 KB an entry, 64 MB in memory)', () => {
    expect(loadConfig({}).responseCache).toEqual({ kind: 'off' });
    expect(loadConfig({ RESPONSE_CACHE: 'on' }).responseCache).toEqual({ kind: 'on', ttlMs: 300_000, maxEntryBytes: 1024 * 1024, maxMemoryBytes: 64 * 1024 * 1024 });
    expect(loadConfig({ RESPONSE_CACHE: 'on', RESPONSE_CACHE_TTL_SECONDS: '5', RESPONSE_CACHE_MAX_ENTRY_KB: '8', RESPONSE_CACHE_MEMORY_MB: '2' }).responseCache).toEqual({ kind: 'on', ttlMs: 5000, maxEntryBytes: 8192, maxMemoryBytes: 2 * 1024 * 1024 });
  });

  it('refuses a bad switch or bound, naming each setting, what it received and the fix, even while off', () => {
    expect(() => loadConfig({ RESPONSE_CACHE: 'yes' })).toThrow(/RESPONSE_CACHE="yes" must be "on" or "off"\. Fix: RESPONSE_CACHE=on/);
    let message = '';
    try {
      loadConfig({ RESPONSE_CACHE_TTL_SECONDS: '0', RESPONSE_CACHE_MAX_ENTRY_KB: 'big', RESPONSE_CACHE_MEMORY_MB: '-1' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      message = (error as Error).message;
    }
    expect(message).toMatch(/RESPONSE_CACHE_TTL_SECONDS="0" is not an integer from 1 to 86400\. Fix: set RESPONSE_CACHE_TTL_SECONDS to e\.g\. 300/);
    expect(message).toMatch(/RESPONSE_CACHE_MAX_ENTRY_KB="big" is not an integer/);
    expect(message).toMatch(/RESPONSE_CACHE_MEMORY_MB="-1" is not an integer/);
  });
});
