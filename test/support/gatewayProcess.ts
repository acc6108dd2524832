/**
 * A gateway process for tests that need more than one (rate limits shared through Redis): real
 * PostgreSQL, real Redis, API keys from the shared principal store. Configured by environment:
 * DATABASE_URL, REDIS_URL, ACCESS_SCHEMA, ORDERS_SCHEMA, RATE_LIMIT_REQUESTS, REDIS_KEY_PREFIX.
 * Prints `LISTENING <url>` when ready; exits on SIGTERM.
 */
import { createRedisCache } from '../../platform/cache/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { createGateway } from '../../gateway/createGateway.js';
import { listen } from '../../gateway/http/listen.js';
import { createRateLimiter } from '../../gateway/limits/index.js';
import { openAccess } from '../../gateway/openAccess.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`gatewayProcess needs ${name}`);
  return value;
};

const db = await createPostgresDatabase(env('DATABASE_URL'));
const cache = await createRedisCache(env('REDIS_URL'), { keyPrefix: env('REDIS_KEY_PREFIX') });
const access = await openAccess({ db, cache }, { schema: env('ACCESS_SCHEMA'), tokenizationSecret: 'test-tokenization-secret-0123456789abcdef' });
const requests = Number(env('RATE_LIMIT_REQUESTS'));
const rateLimiter = createRateLimiter(cache, { limitFor: () => ({ requests, windowSeconds: 60 }) });
const gateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { rateLimiter, projectionSchemas: { orders: env('ORDERS_SCHEMA') } });
const { server, url } = await listen(gateway.handle, '127.0.0.1', 0);
process.stdout.write(`LISTENING ${url}\n`);
process.once('SIGTERM', () => {
  server.close();
  void gateway
    .stop()
    .then(() => access.close())
    .then(() => Promise.all([cache.close(), db.close()]))
    .finally(() => process.exit(0));
});
