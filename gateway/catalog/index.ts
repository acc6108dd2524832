export { contractPath, createCatalogSchema } from './createCatalogSchema.js';
export type { CatalogDeps } from './createCatalogSchema.js';
export { renderCatalogPage } from './renderCatalogPage.js';
export type { CatalogFlowTable } from './renderCatalogPage.js';
export { visibleContracts } from './visibleContracts.js';
export { createCatalogSignIn } from './createCatalogSignIn.js';
export type { CatalogSignIn } from './createCatalogSignIn.js';
export type { CatalogContext } from './createCatalogSchema.js';
export { selfContainedSdl, withSelfContainedSdl } from './withSelfContainedSdl.js';
