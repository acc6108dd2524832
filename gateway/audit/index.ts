export { AUDIT_ACTIONS } from './AuditEntry.js';
export type { AuditAction, AuditEntry, AuditOutcome, AuditRecord, AuditRedaction } from './AuditEntry.js';
export { auditPrincipal } from './auditPrincipal.js';
export { createAuditLog } from './createAuditLog.js';
export type { AuditLog, AuditLogFilter, AuditLogOptions, AuditLogStats } from './createAuditLog.js';
export { auditLogTable, migrateAuditLog } from './migrateAuditLog.js';
export { useAuditTrail } from './useAuditTrail.js';
