import type { ContractStatus } from '../contracts/index.js';

/**
 * The rules `check` enforces, each a stable id a finding carries (in the readable report and in
 * `--format json`). A finding of any of these fails the check.
 */
export const CHECK_RULES = {
  'breaking-change': 'A published version changes incompatibly (graphql-inspector criticality BREAKING).',
  'deprecated-removed-before-sunset': 'A deprecated field of a published version is removed before its @sunset date.',
  'deprecated-removed-while-used': 'A deprecated field of a published version is removed while a client used it in the last 30 days.',
  'lineage-required': 'A new field has neither @from nor @derived.',
  'classification-required': 'A new field has no @classification.',
  'pii-partner-redaction-required': 'A field classified PII has no @redact rule for PARTNER.',
  'published-version-removed': 'A published version is deleted before its contract-level sunset.',
  'unpublished-version': 'An ACTIVE or DEPRECATED version has never been published.',
  'unpublished-change': 'A published version changed (compatibly) and its snapshot was not updated.',
  'contract-invalid': 'The contract does not load (the gateway would refuse to start).',
} as const;
export type CheckRule = keyof typeof CHECK_RULES;

/** Notes that do not fail the check. */
export const CHECK_WARNINGS = {
  'dangerous-change': 'A change graphql-inspector rates DANGEROUS: compatible, but it may surprise a client (e.g. a new enum value).',
  'usage-unverified': 'A deprecated field was removed after its sunset, but its usage could not be verified.',
} as const;
export type CheckWarningKind = keyof typeof CHECK_WARNINGS;

export interface CheckFinding {
  rule: CheckRule;
  contract: string;
  version: number;
  /** `Type.field` (or a type, or `schema`); null when the finding is about the whole version. */
  coordinate: string | null;
  /** The file to change, relative to the repository. */
  file: string;
  message: string;
  fix: string;
}

export interface CheckWarning {
  kind: CheckWarningKind;
  contract: string;
  version: number;
  coordinate: string | null;
  file: string;
  message: string;
}

/** One use count of a field over the last 30 days, by the client (or principal) that used it. */
export interface FieldUseCount {
  client: string;
  count: number;
}

/** Whether "used in the last 30 days" can be answered, and from where. */
export type UsageVerification =
  | { kind: 'verified'; sources: string[]; unavailable: string[] }
  | { kind: 'unverified'; reason: string };

export interface CheckedVersion {
  contract: string;
  version: number;
  /** `@contract(status:)` in the working tree; null when the file is gone or does not build. */
  status: ContractStatus | null;
  inWorkingTree: boolean;
  published: boolean;
}

export interface CheckReport {
  passed: boolean;
  /** The date sunsets were compared with (YYYY-MM-DD, UTC). */
  today: string;
  contractsDirectory: string;
  publishedDirectory: string;
  versions: CheckedVersion[];
  usage: UsageVerification;
  findings: CheckFinding[];
  warnings: CheckWarning[];
}
