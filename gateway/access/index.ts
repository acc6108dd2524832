export { hasRight, mayUseContract, PRINCIPAL_RIGHTS } from './Principal.js';
export type { CredentialRef, Principal, PrincipalAudience, PrincipalRight, RowScope } from './Principal.js';
