import type { DatabaseConfig } from '../config/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import { createPostgresDatabase } from './createPostgresDatabase.js';
import type { Database } from './Database.js';

export function openDatabase(config: DatabaseConfig): Promise<Database> {
  switch (config.kind) {
    case 'postgres':
      return createPostgresDatabase(config.url);
    case 'pglite':
      return createPgliteDatabase();
    default:
      throw new UnreachableCaseError(config);
  }
}
