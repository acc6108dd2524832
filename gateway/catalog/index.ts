export { contractPath, createCatalogSchema } from './createCatalogSchema.js';
export type { CatalogDeps } from './createCatalogSchema.js';
export { renderCatalogPage } from './renderCatalogPage.js';
