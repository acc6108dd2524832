import type { Database } from '../../platform/database/index.js';
import { createPgliteDatabase, createPostgresDatabase } from '../../platform/database/index.js';
import { postgresUrl } from './services.js';

/** Both database adapters, for `describe.each`: the same spec must hold on each. */
export const bothDatabases: Array<[name: string, open: () => Promise<Database>]> = [
  ['PostgreSQL', () => createPostgresDatabase(postgresUrl())],
  ['PGlite', () => createPgliteDatabase()],
];
