import type { Principal } from '../access/index.js';
import type { AuditEntry } from './AuditEntry.js';

/** The principal fields of an audit entry: id, name and audience, never the credential. Null when none was established. */
export function auditPrincipal(principal: Principal | null): Pick<AuditEntry, 'principalId' | 'principalName' | 'audience'> {
  return principal === null
    ? { principalId: null, principalName: null, audience: null }
    : { principalId: principal.id, principalName: principal.name, audience: principal.audience };
}
