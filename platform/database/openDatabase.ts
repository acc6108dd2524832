import type { Logger } from '../logging/index.js';
import type { DatabaseConfig } from '../config/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import { createPostgresDatabase } from './createPostgresDatabase.js';
import type { Database } from './Database.js';

/** `logger`: where the adapter logs losing and finding its server again (PostgreSQL only: PGlite is in the process); `signal` stops waiting for it at start. */
export function openDatabase(config: DatabaseConfig, options: { logger?: Logger; signal?: AbortSignal } = {}): Promise<Database> {
  switch (config.kind) {
    case 'postgres':
      return createPostgresDatabase(config.url, options);
    case 'pglite':
      return createPgliteDatabase();
    default:
      throw new UnreachableCaseError(config);
  }
}
