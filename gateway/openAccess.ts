import { randomBytes } from 'node:crypto';
import type { Cache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import type { Logger } from '../platform/logging/index.js';
import type { JwtVerifierOptions, PrincipalStore } from './access/index.js';
import { createAuthenticator, createJwtVerifier, createPrincipalStore, createSessionStore } from './access/index.js';
import type { AuditLog } from './audit/index.js';
import { createAuditLog } from './audit/index.js';
import type { GatewayAccess } from './createGateway.js';
import { createCursorSealer, createTokenizer } from './redaction/index.js';

export interface AccessOptions {
  /** Postgres schema of principals, keys and the audit log. Default `gateway`. */
  schema?: string;
  /** JWT verification; null accepts API keys and sessions only. Default null. */
  jwt?: JwtVerifierOptions | null;
  /**
   * Server secret the per-principal tokenization and cursor-sealing keys derive from. Default: a random one for
   * this process, which is right only for embedded demos (tokens change at restart); `npm start`
   * refuses to serve a shared database (DATABASE_URL) without TOKENIZATION_SECRET.
   */
  tokenizationSecret?: string | null;
  /** Where the audit log warns about outages and drops. Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface OpenedAccess extends GatewayAccess {
  principals: PrincipalStore;
  audit: AuditLog;
  close(): Promise<void>;
}

/** Migrates and opens everything the gateway needs to know who is asking, to redact and to audit. */
export async function openAccess(deps: { db: Database; cache: Cache }, options: AccessOptions = {}): Promise<OpenedAccess> {
  const schema = options.schema ?? 'gateway';
  const principals = createPrincipalStore(deps.db, { schema });
  await principals.migrate();
  const audit = createAuditLog(deps.db, { schema, logger: options.logger });
  await audit.migrate();
  const sessions = createSessionStore(deps.cache);
  const jwt = options.jwt ? createJwtVerifier(options.jwt) : null;
  const secret = options.tokenizationSecret ?? randomBytes(32);
  return {
    principals,
    audit,
    tokenizer: createTokenizer(secret),
    cursors: createCursorSealer(secret),
    authenticator: createAuthenticator({ store: principals, jwt, sessions }),
    signIn: { sessions, principals },
    async close() {
      await audit.close();
    },
  };
}
