export { buildOdcsContract, ODCS_API_VERSION, renderOdcsYaml } from './buildOdcsContract.js';
export { buildOpenLineageEvents, OPENLINEAGE_DATASET_EVENT_SCHEMA } from './buildOpenLineageEvents.js';
export type { OpenLineageDatasetEvent } from './buildOpenLineageEvents.js';
export type { MetadataExportOptions } from './MetadataExportOptions.js';
export { CONTRACT_DOCUMENTS, isContractDocument, renderContractDocument } from './renderContractDocument.js';
export type { ContractDocument } from './renderContractDocument.js';
export { writeMetadataExports } from './writeMetadataExports.js';
