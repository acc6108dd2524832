/** Who a contract view is served to decides what it may see (DESIGN §9). */
export type PrincipalAudience = 'INTERNAL' | 'PARTNER';

/**
 * What a principal may do besides querying its contracts:
 * `operate` reaches `/admin/*` and the subgraph endpoints; `export` starts bulk exports;
 * `steward` changes governed metadata (acknowledgements, later).
 */
export type PrincipalRight = 'operate' | 'export' | 'steward';
export const PRINCIPAL_RIGHTS: readonly PrincipalRight[] = ['operate', 'export', 'steward'];

/**
 * The rows a principal may see, per row-scope dimension a contract declares (`@rowScope`):
 * dimension → allowed values, in the contract's terms (e.g. `{ salesChannel: ['MARKETPLACE'] }`).
 */
export type RowScope = Readonly<Record<string, readonly string[]>>;

/** How the caller proved who it is; kept for the audit log (never the secret itself). */
export type CredentialRef =
  | { kind: 'apiKey'; prefix: string }
  | { kind: 'jwt'; issuer: string; subject: string }
  | { kind: 'session'; prefix: string }
  /** An operator on the host running the CLI: proven by holding the database's credentials, not by a gateway credential. */
  | { kind: 'localOperator'; user: string };

export interface Principal {
  /** Stable id (`prn_…` for stored principals, `jwt:<issuer>#<subject>` for tokens). Tokenization keys derive from it. */
  id: string;
  name: string;
  audience: PrincipalAudience;
  /** Contract versions it may query, as `name/vN`, or `*` for every contract of its audience. */
  contracts: readonly string[];
  rights: readonly PrincipalRight[];
  /** Row scope per dimension; null when unscoped (internal principals). A partner always has one. */
  rowScope: RowScope | null;
  credential: CredentialRef;
}

/** True when the principal may query `name/vN`. */
export function mayUseContract(principal: Principal, contract: { name: string; version: number }): boolean {
  return principal.contracts.includes('*') || principal.contracts.includes(`${contract.name}/v${contract.version}`);
}

export function hasRight(principal: Principal, right: PrincipalRight): boolean {
  return principal.rights.includes(right);
}
