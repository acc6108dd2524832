import { PlatformError, PlatformErrorCode } from '../errors/index.js';

/** Which adapter backs each port. Chosen by configuration only (DESIGN §4). */
export type EventLogConfig =
  | { kind: 'embedded'; partitions: number }
  | { kind: 'kafka'; brokers: string[]; clientId: string; partitions: number };
export type DatabaseConfig = { kind: 'pglite' } | { kind: 'postgres'; url: string };
export type CacheConfig = { kind: 'memory' } | { kind: 'redis'; url: string };

export interface SimulatorConfig {
  /** Stream simulated producer traffic into the event log. Default: on (demo data for `npm start`). */
  enabled: boolean;
  /** Events produced per second. Default 20: enough for freshness to move visibly. */
  eventsPerSecond: number;
  /** PRNG seed; the same seed yields the same records. Default 42. */
  seed: number;
}

export interface Config {
  eventLog: EventLogConfig;
  database: DatabaseConfig;
  cache: CacheConfig;
  http: { host: string; port: number };
  projection: {
    /** Records the projector reads per transaction. Default 500. */
    batchSize: number;
    /**
     * How many later records of the same partition an event parked ahead of a sequence gap may
     * wait before it is quarantined. Counted in offsets, not wall time, so a replay or a rebuild
     * makes exactly the same decision as the live run. Default 1000.
     */
    gapBound: number;
  };
  simulator: SimulatorConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads configuration from the environment. Every problem names the variable, what was received
 * and how to fix it; all problems are reported at once so a bad deployment fails on first start.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} is not an integer from ${min} to ${max}. Fix: set ${name} to e.g. ${fallback}, or unset it for the default (${fallback}).`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: string[], example: string): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      problems.push(`${name}=${JSON.stringify(redactUrl(raw))} is not a ${protocols.join(' or ')} URL. Fix: set ${name} like ${example}, or unset it to use the embedded default.`);
      return undefined;
    }
    return raw;
  };

  const partitions = integer('TOPIC_PARTITIONS', 4, 1, 1024);
  const brokersRaw = read('KAFKA_BROKERS');
  let eventLog: EventLogConfig = { kind: 'embedded', partitions };
  if (brokersRaw !== undefined) {
    const brokers = brokersRaw.split(',').map((b) => b.trim()).filter(Boolean);
    const bad = brokers.filter((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
    if (brokers.length === 0 || bad.length > 0) {
      problems.push(`KAFKA_BROKERS=${JSON.stringify(brokersRaw)} must be a comma-separated list of host:port (bad: ${bad.join(', ') || 'empty'}). Fix: KAFKA_BROKERS=localhost:9092, or unset it for the embedded log.`);
    } else {
      eventLog = { kind: 'kafka', brokers, clientId: read('KAFKA_CLIENT_ID') ?? 'data-product-gateway', partitions };
    }
  }

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user@localhost:5432/gateway');
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:'], 'redis://localhost:6379');

  const simulatorRaw = read('SIMULATOR') ?? 'on';
  if (simulatorRaw !== 'on' && simulatorRaw !== 'off') {
    problems.push(`SIMULATOR=${JSON.stringify(simulatorRaw)} must be "on" or "off". Fix: SIMULATOR=off to serve only real traffic.`);
  }

  const config: Config = {
    eventLog,
    database: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite' },
    cache: redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'memory' },
    http: { host: read('HOST') ?? '127.0.0.1', port: integer('PORT', 4000, 0, 65535) },
    projection: {
      batchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 100_000),
      gapBound: integer('PROJECTION_GAP_BOUND', 1000, 1, 100_000_000),
    },
    simulator: {
      enabled: simulatorRaw === 'on',
      eventsPerSecond: integer('SIMULATOR_EVENTS_PER_SECOND', 20, 1, 100_000),
      seed: integer('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
    },
  };
  if (problems.length > 0) {
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/** Never print a password that came in a URL. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
