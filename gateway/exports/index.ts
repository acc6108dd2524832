export { buildExportDocument, CHANGE_FEED_FIELD } from './buildExportDocument.js';
export type { ExportDocument } from './buildExportDocument.js';
export { createExportJobs } from './createExportJobs.js';
export type { ContractOperationRunner, ExportJobs, ExportJobsDeps, ExportJobsOptions } from './createExportJobs.js';
export { EXPORT_NOT_READY } from './createExportRoutes.js';
export { EXPORT_JOB_STATUSES, ExportFailureCode, isExportRefusal } from './ExportJob.js';
export type { ExportFailure, ExportFilter, ExportJob, ExportJobStatus, ExportManifest, ExportRefusal, ExportRequest, RedactionPolicyEntry } from './ExportJob.js';
export { exportJobsTable } from './migrateExportJobs.js';
export { EXPORT_REQUEST_EXAMPLE, parseExportRequest } from './parseExportRequest.js';
