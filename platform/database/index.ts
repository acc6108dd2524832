export type { Database, Queryable, Row } from './Database.js';
export { createPostgresDatabase } from './createPostgresDatabase.js';
export type { PostgresDatabaseOptions } from './createPostgresDatabase.js';
export { createPgliteDatabase } from './createPgliteDatabase.js';
export type { PgliteDatabaseOptions } from './createPgliteDatabase.js';
export { openDatabase } from './openDatabase.js';
export { quoteIdent } from './quoteIdent.js';
export { encodeBinaryCopy } from './encodeBinaryCopy.js';
export type { CopyColumnType, CopyValue } from './encodeBinaryCopy.js';
