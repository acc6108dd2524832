import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { LogLevel } from '../logging/index.js';
import { isLogLevel, LOG_LEVELS } from '../logging/index.js';

/** Which adapter backs each port. Chosen by configuration only (DESIGN §4). */
/**
 * `retentionGap` (EVENT_LOG_RETENTION_GAP): a partition whose needed records are gone from the log
 * stops (`halt`, default) or skips them, told (`accept`). `lingerMs` (KAFKA_LINGER_MS): how long
 * a produce call waits for others to the same partition to share one produce request.
 */
export type EventLogConfig =
  | { kind: 'embedded'; partitions: number; retentionGap: RetentionGapPolicy }
  | { kind: 'kafka'; brokers: string[]; clientId: string; partitions: number; retentionGap: RetentionGapPolicy; lingerMs: number };
export type RetentionGapPolicy = 'halt' | 'accept';
export type DatabaseConfig = { kind: 'pglite' } | { kind: 'postgres'; url: string };
export type CacheConfig = { kind: 'memory' } | { kind: 'redis'; url: string };

/**
 * ROLE: what this process runs, so the parts scale separately (DESIGN §12). Default `all`.
 * - `all`: projectors, the simulator (unless SIMULATOR=off) and the HTTP gateway in one process;
 *   the only role that works on the embedded defaults, whose log and database live in-process.
 * - `gateway`: HTTP only (contracts, catalog, admin, metrics). Stateless: run as many as needed.
 * - `projector`: the projectors of every context, settling included; `GET /health` only. Replicas
 *   share each topic's partitions through the consumer groups.
 * - `simulator`: produces simulated order journeys to the event log; `GET /health` only.
 */
export type ProcessRole = 'all' | 'gateway' | 'projector' | 'simulator';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'gateway', 'projector', 'simulator'];

/**
 * CONTRACT_SQL_PLANNING: whether contract reads a context can plan run as one SQL statement per
 * root field that builds the response JSON in PostgreSQL (`on`), or through resolvers only (`off`).
 */
export type ContractSqlPlanning = 'on' | 'off';
export const CONTRACT_SQL_PLANNING_VALUES: readonly ContractSqlPlanning[] = ['on', 'off'];

export interface SimulatorConfig {
  /** Stream simulated producer traffic into the event log. Default: on (demo data for `npm start`). */
  enabled: boolean;
  /** Events produced per second. Default 20: enough for freshness to move visibly. */
  eventsPerSecond: number;
  /** PRNG seed; the same seed yields the same records. Default 42. */
  seed: number;
}

/**
 * How JWTs are verified: one issuer, one audience, one key source. All or nothing: a half-set
 * JWT configuration is refused rather than silently accepting no tokens (or the wrong ones).
 */
export type JwtConfig = { issuer: string; audience: string } & ({ jwksUrl: string } | { publicKeyFile: string });

export interface AccessConfig {
  /** JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE. Default null: API keys and sessions only. */
  jwt: JwtConfig | null;
  /**
   * TOKENIZATION_SECRET (at least 32 characters): the server secret per-principal tokenization
   * keys derive from. Default null: the gateway picks a random one per process, so tokens change
   * at restart and differ between replicas; fine for a demo, not for partners who join on them.
   */
  tokenizationSecret: string | null;
}

/**
 * RESPONSE_CACHE: the gateway's response cache for contract queries (gateway/responseCache),
 * in Redis when REDIS_URL is set, else in this process. Default `off`: an answer is then always
 * read from the projections; `on` serves a repeated query from the cache while the watermarks
 * of what it reads have not moved (up to the freshness read interval, 1 s, behind the newest
 * commit, as its freshness says).
 */
export type ResponseCacheConfig =
  | { kind: 'off' }
  | {
      kind: 'on';
      /** RESPONSE_CACHE_TTL_SECONDS, in ms: the longest an entry is kept, valid or not. Default 300 s. */
      ttlMs: number;
      /** RESPONSE_CACHE_MAX_ENTRY_KB, in bytes: larger answers are not cached. Default 1024 KB. */
      maxEntryBytes: number;
      /** RESPONSE_CACHE_MEMORY_MB, in bytes: the in-process cache's bound (least recently used go first); Redis is bounded by its own maxmemory. Default 64 MB. */
      maxMemoryBytes: number;
    };

export interface Config {
  /** ROLE: see ProcessRole. Default `all`. */
  role: ProcessRole;
  eventLog: EventLogConfig;
  database: DatabaseConfig;
  cache: CacheConfig;
  http: { host: string; port: number };
  /**
   * Where partner export files are written. Default: a folder under the OS temp directory, right
   * for embedded demos; a deployment points it at a volume that outlives the process.
   */
  exports: { directory: string };
  projection: {
    /** Records the projector reads per transaction. Default 500. */
    batchSize: number;
    /**
     * How many later records of the same partition an event parked ahead of a sequence gap may
     * wait before it is quarantined. Counted in offsets, not wall time, so a replay or a rebuild
     * makes exactly the same decision as the live run. Default 1000.
     */
    gapBound: number;
    /**
     * For projections that decide deadlines by event time (reconciliation): how far the event-time
     * watermark trails the slowest busy input partition, so events up to this late still count on
     * time. Default 300 000 ms (5 minutes).
     */
    allowedLatenessMs: number;
  };
  simulator: SimulatorConfig;
  access: AccessConfig;
  /** RESPONSE_CACHE and its bounds: see ResponseCacheConfig. */
  responseCache: ResponseCacheConfig;
  metrics: {
    /**
     * METRICS_PUBLIC: who may scrape `GET /metrics`. Default `operate`: principals with the
     * `operate` right, with a Bearer credential (flow metrics reveal order volumes and failure
     * rates). `public` (METRICS_PUBLIC=true) serves it to anyone who reaches the gateway, for a
     * Prometheus inside a private network that holds no credential.
     */
    access: 'operate' | 'public';
  };
  gateway: {
    /**
     * CONTRACT_SQL_PLANNING: `on` (default) answers contract reads whose fields one context serves
     * with one SQL statement per root field, JSON built by PostgreSQL (same data, errors and
     * extensions as resolvers); `off` runs resolvers only, to compare or to rule the fast path out.
     */
    contractSqlPlanning: ContractSqlPlanning;
  };
  log: {
    /**
     * LOG_LEVEL: lines below it are dropped. Default `info`: one line per request, state changes
     * of projectors and shutdown, warnings and errors; `debug` adds a line per committed batch.
     */
    level: LogLevel;
  };
  shutdown: {
    /**
     * SHUTDOWN_DEADLINE_SECONDS, in ms: how long SIGTERM may take (drain requests, finish the
     * batch in flight, leave the consumer groups, close pools) before the process stops anyway and
     * exits 1. Default 10 s: under Kubernetes' default 30 s grace period, above a batch's commit.
     */
    deadlineMs: number;
  };
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
  const retentionGapRaw = read('EVENT_LOG_RETENTION_GAP') ?? 'halt';
  if (retentionGapRaw !== 'halt' && retentionGapRaw !== 'accept') {
    problems.push(`EVENT_LOG_RETENTION_GAP=${JSON.stringify(retentionGapRaw)} must be "halt" or "accept". Fix: unset it (halt: a partition whose records are gone from the log stops), or EVENT_LOG_RETENTION_GAP=accept to skip such records knowingly.`);
  }
  const retentionGap: RetentionGapPolicy = retentionGapRaw === 'accept' ? 'accept' : 'halt';
  // A produce waits at most this long for others to the same partition (librdkafka's linger.ms):
  // past a few tens of ms it is latency, not throughput.
  const lingerMs = integer('KAFKA_LINGER_MS', 5, 0, 1000);
  let eventLog: EventLogConfig = { kind: 'embedded', partitions, retentionGap };
  if (brokersRaw !== undefined) {
    const brokers = brokersRaw.split(',').map((b) => b.trim()).filter(Boolean);
    const bad = brokers.filter((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
    if (brokers.length === 0 || bad.length > 0) {
      problems.push(`KAFKA_BROKERS=${JSON.stringify(brokersRaw)} must be a comma-separated list of host:port (bad: ${bad.join(', ') || 'empty'}). Fix: KAFKA_BROKERS=localhost:9092, or unset it for the embedded log.`);
    } else {
      eventLog = { kind: 'kafka', brokers, clientId: read('KAFKA_CLIENT_ID') ?? 'data-product-gateway', partitions, retentionGap, lingerMs };
    }
  }

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user@localhost:5432/gateway');
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:'], 'redis://localhost:6379');

  const simulatorRaw = read('SIMULATOR') ?? 'on';
  if (simulatorRaw !== 'on' && simulatorRaw !== 'off') {
    problems.push(`SIMULATOR=${JSON.stringify(simulatorRaw)} must be "on" or "off". Fix: SIMULATOR=off to serve only real traffic.`);
  }
  // Set but invalid counts as set here: its own problem says what is wrong with it.
  const role = readRole(read('ROLE'), { kafka: brokersRaw !== undefined, database: read('DATABASE_URL') !== undefined, simulatorOff: simulatorRaw === 'off' }, problems);

  const access = readAccess(read, problems);

  const metricsPublicRaw = read('METRICS_PUBLIC') ?? 'false';
  if (metricsPublicRaw !== 'true' && metricsPublicRaw !== 'false') {
    problems.push(`METRICS_PUBLIC=${JSON.stringify(metricsPublicRaw)} must be "true" or "false". Fix: METRICS_PUBLIC=true only where nothing outside a private network reaches the gateway; unset it so /metrics needs an operator's credential.`);
  }

  const sqlPlanningRaw = read('CONTRACT_SQL_PLANNING') ?? 'on';
  const contractSqlPlanning = CONTRACT_SQL_PLANNING_VALUES.find((v) => v === sqlPlanningRaw);
  if (!contractSqlPlanning) {
    problems.push(`CONTRACT_SQL_PLANNING=${JSON.stringify(sqlPlanningRaw)} must be "on" or "off". Fix: unset it (on: contract reads compiled to SQL), or CONTRACT_SQL_PLANNING=off to answer every contract read with resolvers.`);
  }
  const responseCacheRaw = read('RESPONSE_CACHE') ?? 'off';
  if (responseCacheRaw !== 'on' && responseCacheRaw !== 'off') {
    problems.push(`RESPONSE_CACHE=${JSON.stringify(responseCacheRaw)} must be "on" or "off". Fix: RESPONSE_CACHE=on to serve repeated queries from the cache while their projections have not changed, or unset it (off).`);
  }
  // Bounds are checked even while off: a bad one would otherwise surface only when it is turned on.
  const responseCacheBounds = {
    ttlMs: integer('RESPONSE_CACHE_TTL_SECONDS', 300, 1, 86_400) * 1000,
    maxEntryBytes: integer('RESPONSE_CACHE_MAX_ENTRY_KB', 1024, 1, 65_536) * 1024,
    maxMemoryBytes: integer('RESPONSE_CACHE_MEMORY_MB', 64, 1, 65_536) * 1024 * 1024,
  };
  const responseCache: ResponseCacheConfig = responseCacheRaw === 'on' ? { kind: 'on', ...responseCacheBounds } : { kind: 'off' };

  const logLevelRaw = read('LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevelRaw)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevelRaw)} is not a log level (${LOG_LEVELS.join(', ')}). Fix: LOG_LEVEL=debug to see every projector batch, or unset it for info.`);
  }

  const config: Config = {
    role,
    eventLog,
    database: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite' },
    cache: redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'memory' },
    http: { host: read('HOST') ?? '127.0.0.1', port: integer('PORT', 4000, 0, 65535) },
    exports: { directory: exportDirectory(read('EXPORT_DIRECTORY'), problems) },
    projection: {
      batchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 100_000),
      gapBound: integer('PROJECTION_GAP_BOUND', 1000, 1, 100_000_000),
      allowedLatenessMs: integer('EVENT_TIME_ALLOWED_LATENESS_SECONDS', 300, 0, 30 * 86_400) * 1000,
    },
    simulator: {
      enabled: simulatorRaw === 'on',
      eventsPerSecond: integer('SIMULATOR_EVENTS_PER_SECOND', 20, 1, 100_000),
      seed: integer('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
    },
    access,
    responseCache,
    metrics: { access: metricsPublicRaw === 'true' ? 'public' : 'operate' },
    gateway: { contractSqlPlanning: contractSqlPlanning ?? 'on' },
    log: { level: isLogLevel(logLevelRaw) ? logLevelRaw : 'info' },
    shutdown: { deadlineMs: integer('SHUTDOWN_DEADLINE_SECONDS', 10, 1, 3600) * 1000 },
  };
  if (problems.length > 0) {
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/**
 * ROLE, and whether this environment can carry it. A split role shares its log and database with
 * the processes of the other roles, so it needs the services that hold them: the embedded log and
 * PGlite exist only inside one process, where a projector would fill a database no gateway reads.
 */
function readRole(raw: string | undefined, set: { kafka: boolean; database: boolean; simulatorOff: boolean }, problems: string[]): ProcessRole {
  if (raw === undefined) return 'all';
  const role = PROCESS_ROLES.find((r) => r === raw);
  if (!role) {
    problems.push(`ROLE=${JSON.stringify(raw)} is not a role: use one of ${PROCESS_ROLES.join(', ')}. Fix: unset ROLE to run everything in one process, or ROLE=gateway / ROLE=projector / ROLE=simulator to run one part (see README, Roles).`);
    return 'all';
  }
  // What each split role reads or writes that another process must see.
  const needs: Record<ProcessRole, Array<'KAFKA_BROKERS' | 'DATABASE_URL'>> = {
    all: [],
    gateway: ['KAFKA_BROKERS', 'DATABASE_URL'],
    projector: ['KAFKA_BROKERS', 'DATABASE_URL'],
    simulator: ['KAFKA_BROKERS'],
  };
  const missing = needs[role].filter((name) => !(name === 'KAFKA_BROKERS' ? set.kafka : set.database));
  if (missing.length > 0) {
    const example = { KAFKA_BROKERS: 'KAFKA_BROKERS=host:9092', DATABASE_URL: 'DATABASE_URL=postgres://user@host:5432/gateway' };
    problems.push(
      `ROLE=${role} needs ${missing.join(' and ')}: a split role shares the event log${needs[role].includes('DATABASE_URL') ? ' and the database' : ''} with the processes of the other roles, and the embedded defaults (in-process log, PGlite in memory) exist inside one process only. Fix: set ${missing.map((m) => example[m]).join(' and ')} (as docker-compose.yml does), or unset ROLE to run every part in this process.`,
    );
  }
  if (role === 'simulator' && set.simulatorOff) {
    problems.push(`ROLE=simulator with SIMULATOR=off would run nothing. Fix: unset SIMULATOR (the simulator role always produces), or choose another ROLE.`);
  }
  return role;
}

const JWT_SETTINGS = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL', 'JWT_PUBLIC_KEY_FILE'] as const;
const MIN_TOKENIZATION_SECRET = 32;

/** The access settings; problems are added to `problems`. Secrets are never echoed, only their length. */
function readAccess(read: (name: string) => string | undefined, problems: string[]): AccessConfig {
  const secret = read('TOKENIZATION_SECRET');
  if (secret !== undefined && secret.length < MIN_TOKENIZATION_SECRET) {
    problems.push(`TOKENIZATION_SECRET is ${secret.length} characters; it needs at least ${MIN_TOKENIZATION_SECRET} (tokens must not be guessable from the secret). Fix: TOKENIZATION_SECRET=$(openssl rand -base64 48), or unset it for a random per-process secret (demo only).`);
  }
  const tokenizationSecret = secret !== undefined && secret.length >= MIN_TOKENIZATION_SECRET ? secret : null;

  const [issuer, audience, jwksUrl, publicKeyFile] = JWT_SETTINGS.map(read);
  if ([issuer, audience, jwksUrl, publicKeyFile].every((v) => v === undefined)) return { jwt: null, tokenizationSecret };
  const before = problems.length;
  const set = JWT_SETTINGS.filter((_, i) => [issuer, audience, jwksUrl, publicKeyFile][i] !== undefined).join(', ');
  const missing = [issuer === undefined ? 'JWT_ISSUER' : '', audience === undefined ? 'JWT_AUDIENCE' : ''].filter(Boolean);
  if (missing.length > 0) {
    problems.push(`JWT settings are all or nothing: ${set} ${set.includes(',') ? 'are' : 'is'} set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not. Fix: set ${missing.join(' and ')} (e.g. JWT_ISSUER=https://login.example.com/ JWT_AUDIENCE=data-product-gateway), or unset every JWT_ setting to accept API keys only.`);
  }
  if (jwksUrl === undefined && publicKeyFile === undefined) {
    problems.push(`JWT settings need one key source: neither JWT_JWKS_URL nor JWT_PUBLIC_KEY_FILE is set. Fix: JWT_JWKS_URL=https://login.example.com/.well-known/jwks.json, or JWT_PUBLIC_KEY_FILE=/etc/gateway/issuer.pem.`);
  } else if (jwksUrl !== undefined && publicKeyFile !== undefined) {
    problems.push(`JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE are both set; tokens are verified with exactly one key source. Fix: unset one of them.`);
  } else if (jwksUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(jwksUrl);
    } catch {
      parsed = undefined;
    }
    const loopback = parsed !== undefined && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    if (!parsed || !(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
      problems.push(`JWT_JWKS_URL=${JSON.stringify(redactUrl(jwksUrl))} is not an https URL (http only on localhost): keys fetched in clear could be swapped on the way. Fix: JWT_JWKS_URL=https://login.example.com/.well-known/jwks.json.`);
    }
  }
  if (problems.length > before || issuer === undefined || audience === undefined) return { jwt: null, tokenizationSecret };
  const jwt: JwtConfig | null = jwksUrl !== undefined ? { issuer, audience, jwksUrl } : publicKeyFile !== undefined ? { issuer, audience, publicKeyFile } : null;
  return { jwt, tokenizationSecret };
}

/** Never print a password that came in a URL. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function exportDirectory(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return join(tmpdir(), 'data-product-gateway-exports');
  if (!isAbsolute(raw)) problems.push(`EXPORT_DIRECTORY=${JSON.stringify(raw)} is not an absolute path. Fix: EXPORT_DIRECTORY=/var/lib/data-product-gateway/exports, or unset it for a temp folder.`);
  return raw;
}
