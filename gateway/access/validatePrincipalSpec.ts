import type { PrincipalAudience, PrincipalRight, RowScope } from './Principal.js';
import { PRINCIPAL_RIGHTS } from './Principal.js';

/**
 * What an operator asks for when creating a principal. Typed loosely on purpose: specs come from
 * the CLI and admin requests, and `validatePrincipalSpec` is the contract, checked at run time.
 */
export interface PrincipalSpec {
  /** Unique, 1–100 of letters, digits, `.`, `_`, `-`; must not start with `prn_` (that is an id). */
  name: string;
  /** `INTERNAL` or `PARTNER`. */
  audience: string;
  /** `name/vN` per contract version, or `['*']` (INTERNAL only) for every contract. */
  contracts: readonly string[];
  /** A subset of `PRINCIPAL_RIGHTS`. Default none: rights are granted, never assumed. */
  rights?: readonly string[];
  /** Dimension → allowed values. Required, with at least one dimension, for a PARTNER. Default null (unscoped). */
  rowScope?: Readonly<Record<string, readonly string[]>> | null;
}

/** The grants a principal carries, after validation. */
export interface PrincipalGrants {
  audience: PrincipalAudience;
  contracts: readonly string[];
  rights: readonly PrincipalRight[];
  rowScope: RowScope | null;
}

/** One thing wrong with a spec or a token's claims: the field as the caller named it, and a message with what was received and the fix. */
export interface PrincipalProblem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: PrincipalProblem[] };

/** How the caller names each field in messages (`rowScope` for a spec, `dpg_row_scope` for a JWT). */
export type GrantFieldNames = Record<keyof PrincipalGrants, string>;

const SPEC_FIELDS: GrantFieldNames & { name: string } = { name: 'name', audience: 'audience', contracts: 'contracts', rights: 'rights', rowScope: 'rowScope' };
const CONTRACT_REF = /^[a-z][a-z0-9_]*\/v[1-9][0-9]*$/;
const DIMENSION = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRINCIPAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const AUDIENCES: readonly PrincipalAudience[] = ['INTERNAL', 'PARTNER'];
const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Checks a spec; every problem at once, each naming the field, what was received and the fix. */
export function validatePrincipalSpec(spec: PrincipalSpec): Checked<{ name: string } & PrincipalGrants> {
  const problems: PrincipalProblem[] = [];
  const name: unknown = spec.name;
  if (typeof name !== 'string' || !PRINCIPAL_NAME.test(name) || name.startsWith('prn_')) {
    problems.push({
      field: SPEC_FIELDS.name,
      message: `name is ${show(name)}; it must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit, and not start with "prn_" (ids do). Fix: a name like "acme-marketplace".`,
    });
  }
  const grants = checkGrants({ audience: spec.audience, contracts: spec.contracts, rights: spec.rights ?? [], rowScope: spec.rowScope ?? null }, SPEC_FIELDS);
  if (!grants.ok) problems.push(...grants.problems);
  if (problems.length > 0 || !grants.ok) return { ok: false, problems };
  return { ok: true, value: { name: name as string, ...grants.value } };
}

/**
 * The rules every principal obeys, however it was issued (stored spec or JWT claims): one owner
 * for them. A PARTNER lists its contracts (no `*`), has a row scope of at least one dimension and
 * never `operate` (which reaches `/admin` and the unredacted subgraphs).
 */
export function checkGrants(input: { audience: unknown; contracts: unknown; rights: unknown; rowScope: unknown }, field: GrantFieldNames): Checked<PrincipalGrants> {
  const problems: PrincipalProblem[] = [];
  const problem = (name: keyof GrantFieldNames, message: string) => problems.push({ field: field[name], message });

  const audience = input.audience;
  const isAudience = typeof audience === 'string' && (AUDIENCES as readonly string[]).includes(audience);
  if (!isAudience) problem('audience', `${field.audience} is ${show(audience)}; it must be "INTERNAL" or "PARTNER". Fix: INTERNAL for teams inside the company, PARTNER for an external integration.`);
  const partner = audience === 'PARTNER';

  const contracts = stringList(input.contracts);
  if (!contracts) {
    problem('contracts', `${field.contracts} is ${show(input.contracts)}; it must be a list of contract versions. Fix: e.g. ["partner_order_status/v1"], or ["*"] for every contract of an INTERNAL principal.`);
  } else {
    const bad = contracts.filter((c) => c !== '*' && !CONTRACT_REF.test(c));
    if (bad.length > 0) problem('contracts', `${field.contracts} has ${bad.map(show).join(', ')}, not of the form name/vN or *. Fix: write each contract version as name/vN, e.g. partner_order_status/v1.`);
    if (partner && contracts.includes('*')) problem('contracts', `${field.contracts} is ${show(contracts)} for a PARTNER; a partner gets only contracts named for it, never "*". Fix: list each contract version, e.g. ["partner_order_status/v1"].`);
    else if (contracts.includes('*') && contracts.length > 1) problem('contracts', `${field.contracts} is ${show(contracts)}: "*" already grants every contract. Fix: ["*"] alone, or only the named versions.`);
    if (partner && contracts.length === 0) problem('contracts', `${field.contracts} is empty for a PARTNER; it could query nothing. Fix: list its contract versions, e.g. ["partner_order_status/v1"].`);
  }

  const rights = stringList(input.rights);
  if (!rights) {
    problem('rights', `${field.rights} is ${show(input.rights)}; it must be a list of rights. Fix: a subset of ${PRINCIPAL_RIGHTS.join(', ')}, or [] for none.`);
  } else {
    const unknown = rights.filter((r) => !(PRINCIPAL_RIGHTS as readonly string[]).includes(r));
    if (unknown.length > 0) problem('rights', `${field.rights} has ${unknown.map(show).join(', ')}, not a right. Fix: use only ${PRINCIPAL_RIGHTS.join(', ')}.`);
    if (partner && rights.includes('operate')) problem('rights', `${field.rights} gives a PARTNER "operate", which reaches /admin and the unredacted subgraph endpoints. Fix: drop operate; operators are INTERNAL principals.`);
  }

  const rowScope = checkRowScope(input.rowScope, field.rowScope, partner);
  if (typeof rowScope === 'string') problem('rowScope', rowScope);

  if (problems.length > 0 || !isAudience || !contracts || !rights || typeof rowScope === 'string') return { ok: false, problems };
  return {
    ok: true,
    value: {
      audience: audience as PrincipalAudience,
      contracts: [...new Set(contracts)],
      rights: PRINCIPAL_RIGHTS.filter((r) => rights.includes(r)),
      rowScope,
    },
  };
}

/** The row scope, normalised (values deduplicated), or the message saying what is wrong with it. */
function checkRowScope(raw: unknown, field: string, partner: boolean): RowScope | null | string {
  const example = '{"salesChannel":["MARKETPLACE"]}';
  if (raw === null || raw === undefined) {
    return partner ? `${field} is missing for a PARTNER; a partner must be limited to its own rows. Fix: give at least one dimension, e.g. ${example}.` : null;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) return `${field} is ${show(raw)}; it must map each dimension to the values allowed. Fix: e.g. ${example}.`;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return partner ? `${field} is {} for a PARTNER: no dimension limits its rows. Fix: give at least one dimension, e.g. ${example}.` : null;
  const scope: Record<string, readonly string[]> = {};
  for (const [dimension, values] of entries) {
    if (!DIMENSION.test(dimension)) return `${field} has dimension ${show(dimension)}, not an identifier. Fix: use the dimension name the contract declares with @rowScope, e.g. salesChannel.`;
    const list = stringList(values);
    if (!list || list.some((v) => v === '')) return `${field}.${dimension} is ${show(values)}; it must be a list of non-empty values. Fix: e.g. ${example}.`;
    if (list.length === 0) return `${field}.${dimension} is empty: it would match no rows. Fix: list the values it may see, or drop the dimension.`;
    scope[dimension] = [...new Set(list)];
  }
  return scope;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}
