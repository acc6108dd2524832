import { join, relative } from 'node:path';
import type { Change } from '@graphql-inspector/core';
import { ChangeType, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { DirectiveNode, DocumentNode, FieldDefinitionNode, GraphQLSchema } from 'graphql';
import { buildASTSchema, concatAST, getNamedType, isInterfaceType, isObjectType, parse, print, valueFromASTUntyped, visit } from 'graphql';
import type { ContractAudience, ContractProblem, ContractStatus } from '../contracts/index.js';
import { contractDirectivesSdl } from '../contracts/index.js';
import { checkConfigError } from './CheckConfigError.js';
import type { CheckedVersion, CheckFinding, CheckReport, CheckWarning, FieldUseCount, UsageVerification } from './CheckReport.js';
import type { FieldUsageReader } from './FieldUsageReader.js';
import { USAGE_WINDOW_DAYS } from './FieldUsageReader.js';
import type { ContractVersionFile } from './readContractVersions.js';

const directivesDocument = parse(contractDirectivesSdl);
const directiveTypes = new Set(directivesDocument.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
/** The statuses whose versions consumers rely on: these are published, and must stay published. */
export const PUBLISHED_STATUSES: ReadonlySet<ContractStatus> = new Set(['ACTIVE', 'DEPRECATED']);

/** Where usage answers come from: readers that opened, and why the others could not. */
export interface UsageSources {
  readers: readonly FieldUsageReader[];
  /** One sentence per source that is not configured or could not be opened. */
  unavailable: readonly string[];
}

export interface ContractCheckInput {
  /** The versions in the working tree. */
  current: readonly ContractVersionFile[];
  /** The published snapshots. */
  published: readonly ContractVersionFile[];
  /** What the contract compiler refused in the working tree (`ContractLoadError.problems`), files relative to `contractsDirectory`. */
  loadProblems: readonly ContractProblem[];
  usage: UsageSources;
  /** YYYY-MM-DD (UTC): sunsets on or before it have passed. */
  today: string;
  contractsDirectory: string;
  publishedDirectory: string;
}

/** What one audience is served: the SDL less the fields OMITted for it (as buildAudienceViews builds it). */
interface AudienceShape {
  schema: GraphQLSchema;
  fields: ReadonlyMap<string, FieldDefinitionNode>;
}

/** A version's SDL, built with the contract directives, and what the rules read from it. */
interface VersionShape {
  source: ContractVersionFile;
  status: ContractStatus | null;
  /** The contract-level sunset (`@contract(sunset:)`). */
  sunset: string | null;
  /** Every field, whoever may see it. */
  fields: ReadonlyMap<string, FieldDefinitionNode>;
  /** Per audience the version is served to: INTERNAL always, PARTNER for a partner contract. */
  views: ReadonlyMap<ContractAudience, AudienceShape>;
}

const keyOf = (v: { name: string; version: number }) => `${v.name}/v${v.version}`;

/**
 * The governed-change check: every contract version in the working tree against its published
 * snapshot. Each rule is a stage below; the report lists every finding of every version at once.
 */
export async function checkContracts(input: ContractCheckInput): Promise<CheckReport> {
  const findings: CheckFinding[] = [];
  const warnings: CheckWarning[] = [];
  const published = new Map(input.published.map((p) => [keyOf(p), publishedShape(p)]));
  const current = new Map(input.current.map((c) => [keyOf(c), shapeOf(c)]));

  const changed = new Map<string, string[]>();
  for (const [key, now] of current) {
    if (now instanceof Error) continue; // the compiler's problems (contract-invalid) say why
    const before = published.get(key) ?? null;
    findings.push(...checkFields(now, before));
    if (before) {
      const compared = await compareWithPublished(before, now);
      changed.set(key, compared.changes);
      findings.push(...compared.findings);
      warnings.push(...compared.warnings);
      const removed = await checkRemovedDeprecatedFields(before, now, input.usage, input.today);
      findings.push(...removed.findings);
      warnings.push(...removed.warnings);
    }
  }
  for (const [key, before] of published) {
    if (!current.has(key)) findings.push(...checkRemovedVersion(before, input.today, input.contractsDirectory));
  }
  findings.push(...loadProblemFindings(input.loadProblems, input.contractsDirectory, findings));
  for (const [key, now] of current) {
    if (now instanceof Error || findings.some((f) => keyOf({ name: f.contract, version: f.version }) === key)) continue;
    findings.push(...checkPublication(now, published.get(key) ?? null, changed.get(key) ?? [], input.publishedDirectory));
  }
  // One version's findings together, in the order the rules found them.
  const byVersion = (a: { contract: string; version: number }, b: { contract: string; version: number }) => a.contract.localeCompare(b.contract) || a.version - b.version;
  findings.sort(byVersion);
  warnings.sort(byVersion);

  const versions: CheckedVersion[] = [...input.current, ...input.published.filter((p) => !current.has(keyOf(p)))]
    .map((v) => {
      const shape = current.get(keyOf(v));
      return { contract: v.name, version: v.version, status: shape && !(shape instanceof Error) ? shape.status : null, inWorkingTree: current.has(keyOf(v)), published: published.has(keyOf(v)) };
    })
    .sort(byVersion);
  return {
    passed: findings.length === 0,
    today: input.today,
    contractsDirectory: relative(process.cwd(), input.contractsDirectory) || '.',
    publishedDirectory: relative(process.cwd(), input.publishedDirectory) || '.',
    versions,
    usage: usageVerification(input.usage),
    findings,
    warnings,
  };
}

function usageVerification(usage: UsageSources): UsageVerification {
  if (usage.readers.length > 0) return { kind: 'verified', sources: usage.readers.map((r) => r.source), unavailable: [...usage.unavailable] };
  return { kind: 'unverified', reason: usage.unavailable.join(' ') || 'no usage source is configured.' };
}

function shapeOf(source: ContractVersionFile): VersionShape | Error {
  let document: DocumentNode;
  let whole: AudienceShape;
  try {
    document = parse(source.sdl);
    whole = audienceShape(document);
  } catch (error) {
    return error as Error;
  }
  const schemaNode = whole.schema.astNode ?? whole.schema.extensionASTNodes[0];
  const contract = argumentsOf(schemaNode, 'contract')[0];
  const served: ContractAudience[] = contract?.audience === 'PARTNER' ? ['INTERNAL', 'PARTNER'] : ['INTERNAL'];
  const views = new Map<ContractAudience, AudienceShape>();
  for (const audience of served) {
    try {
      views.set(audience, audienceShape(document, audience));
    } catch (error) {
      return error as Error;
    }
  }
  return { source, status: (contract?.status as ContractStatus | undefined) ?? null, sunset: (contract?.sunset as string | undefined) ?? null, fields: whole.fields, views };
}

/** The schema and fields of the SDL, less the fields `@redact(audience, strategy: OMIT)` removes for `audience`. */
function audienceShape(document: DocumentNode, audience?: ContractAudience): AudienceShape {
  const omitted = (node: FieldDefinitionNode) => audience !== undefined && argumentsOf(node, 'redact').some((r) => r.audience === audience && r.strategy === 'OMIT');
  const schema = buildASTSchema(concatAST([directivesDocument, visit(document, { FieldDefinition: (node) => (omitted(node) ? null : undefined) })]));
  const fields = new Map<string, FieldDefinitionNode>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || directiveTypes.has(type.name) || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) if (field.astNode) fields.set(`${type.name}.${field.name}`, field.astNode);
  }
  return { schema, fields };
}

/** A published snapshot must build: it is the reference every change is judged against. */
function publishedShape(source: ContractVersionFile): VersionShape {
  const shape = shapeOf(source);
  if (shape instanceof Error) {
    throw checkConfigError(`The published snapshot ${source.file} does not build: ${shape.message} Fix: restore it from version control (git checkout -- ${source.file}); snapshots are written by \`npm run cli -- publish\`, never by hand.`);
  }
  return shape;
}

/** The arguments of each use of directive `name` on a node, as plain values. */
function argumentsOf(node: { readonly directives?: readonly DirectiveNode[] } | null | undefined, name: string): Array<Record<string, unknown>> {
  return (node?.directives ?? []).filter((d) => d.name.value === name).map((d) => Object.fromEntries((d.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])));
}

const finding = (shape: VersionShape, rule: CheckFinding['rule'], coordinate: string | null, message: string, fix: string): CheckFinding => ({ rule, contract: shape.source.name, version: shape.source.version, coordinate, file: shape.source.file, message, fix });

/** New fields carry lineage and a classification; every PII field says how partners get it. */
function checkFields(now: VersionShape, before: VersionShape | null): CheckFinding[] {
  const found: CheckFinding[] = [];
  for (const [coordinate, node] of now.fields) {
    const isNew = !before?.fields.has(coordinate);
    const has = (name: string) => argumentsOf(node, name).length > 0;
    if (isNew && !has('from') && !has('derived')) {
      found.push(finding(now, 'lineage-required', coordinate, `is a new field without lineage: it has neither @from nor @derived, so nobody can tell where its values come from.`, 'add @from(subgraph: "<context>/v<N>", field: "Type.field") naming the subgraph field it is served from, or @derived(from: ["<context>/v<N>:Type.field", ...], description: "...") with its resolver in the v<N>.ts beside the contract.'));
    }
    if (isNew && !has('classification')) {
      found.push(finding(now, 'classification-required', coordinate, 'is a new field without @classification, so what kind of data it carries (and who may see it) is unstated.', 'add @classification(level: PUBLIC | INTERNAL | CONFIDENTIAL | PII).'));
    }
    const pii = argumentsOf(node, 'classification').some((c) => c.level === 'PII');
    if (pii && !argumentsOf(node, 'redact').some((r) => r.audience === 'PARTNER')) {
      found.push(finding(now, 'pii-partner-redaction-required', coordinate, 'is classified PII but has no @redact rule for PARTNER, so a partner view would serve the raw value.', 'add @redact(audience: PARTNER, strategy: OMIT | MASK | TOKENIZE) (MASK with mask: EMAIL, POSTAL_CODE, NAME or TEXT).'));
    }
  }
  return found;
}

/**
 * graphql-inspector's diff of the published snapshot and the working tree, for each audience the
 * version is served to (a field a partner loses through OMIT is removed for the partner even though
 * the SDL keeps it): BREAKING changes are findings, DANGEROUS ones warnings, each reported once with
 * the audiences it affects. Removals of deprecated fields are judged by their own rule (sunset and
 * usage), and so is a type that only such fields returned.
 */
async function compareWithPublished(before: VersionShape, now: VersionShape): Promise<{ findings: CheckFinding[]; warnings: CheckWarning[]; changes: string[] }> {
  const findings: CheckFinding[] = [];
  const warnings: CheckWarning[] = [];
  const byChange = new Map<string, { change: Change; audiences: ContractAudience[] }>();
  for (const [audience, was] of before.views) {
    const is = now.views.get(audience);
    if (!is) {
      findings.push(finding(now, 'breaking-change', 'schema', `breaks published ${before.source.name} v${before.source.version}: it is no longer served to ${audience} (@contract audience changed).`, `keep audience: ${audience} in @contract, or serve the other audience from a new version (contracts/${now.source.name}/v${now.source.version + 1}.graphql).`));
      continue;
    }
    const removedDeprecated = removedDeprecatedFields(was, is);
    for (const change of await diff(was.schema, is.schema)) {
      const path = change.path ?? '';
      if (change.type === ChangeType.FieldRemoved && removedDeprecated.has(path)) continue;
      if (change.type === ChangeType.TypeRemoved && onlyReturnedBy(was, path, removedDeprecated)) continue;
      const key = `${change.type}|${path}|${change.message}`;
      byChange.set(key, { change, audiences: [...(byChange.get(key)?.audiences ?? []), audience] });
    }
  }
  const changes = [...byChange.values()];
  // An argument removed and added on the same directive use is a changed value.
  const addedArguments = new Set(changes.filter(({ change }) => change.type === ChangeType.DirectiveUsageArgumentAdded).map(({ change }) => change.path));
  for (const { change, audiences } of changes) {
    const path = change.path ?? null;
    const forWhom = before.views.size > 1 ? ` for ${audiences.join(' and ')}` : '';
    switch (change.criticality.level) {
      case CriticalityLevel.Breaking:
        findings.push(finding(now, 'breaking-change', path, `breaks published ${before.source.name} v${before.source.version}${forWhom}: ${change.message}${change.criticality.reason ? ` (${change.criticality.reason})` : ''} [${change.type}]`, fixFor(change, now)));
        break;
      case CriticalityLevel.Dangerous: {
        // Deprecating a field is the announced way to change: not a warning.
        if (change.type === ChangeType.DirectiveUsageFieldDefinitionAdded && /\.@(sunset|deprecated)$/.test(path ?? '')) break;
        const coordinate = path?.startsWith('.') ? `schema${path}` : path;
        const changedValue = change.type === ChangeType.DirectiveUsageArgumentRemoved && addedArguments.has(change.path);
        const reason = change.criticality.reason && change.criticality.reason !== change.message ? ` (${change.criticality.reason})` : '';
        warnings.push({ kind: 'dangerous-change', contract: now.source.name, version: now.source.version, coordinate, file: now.source.file, message: changedValue ? `The value of ${coordinate} changed${forWhom}.` : `${change.message}${forWhom}${reason}` });
        break;
      }
      case CriticalityLevel.NonBreaking:
        break;
      default:
        throw new Error(`unknown graphql-inspector criticality ${String(change.criticality.level)}`);
    }
  }
  // What changed, for the unpublished-change message: directive arguments are said by their directive.
  return { findings, warnings, changes: changes.map(({ change }) => change).filter((c) => !String(c.type).startsWith('DIRECTIVE_USAGE_ARGUMENT_')).map((c) => c.message) };
}

/** Deprecated fields of `was` that `is` no longer has. */
function removedDeprecatedFields(was: AudienceShape, is: AudienceShape | undefined): Map<string, FieldDefinitionNode> {
  return new Map([...was.fields].filter(([coordinate, node]) => !is?.fields.has(coordinate) && argumentsOf(node, 'deprecated').length > 0));
}

/** True when every field of `view` that returns `typeName` is among `fields`. */
function onlyReturnedBy(view: AudienceShape, typeName: string, fields: ReadonlyMap<string, unknown>): boolean {
  const returning = [...view.fields.keys()].filter((coordinate) => {
    const [type, field] = coordinate.split('.') as [string, string];
    const parent = view.schema.getType(type);
    return (isObjectType(parent) || isInterfaceType(parent)) && getNamedType(parent.getFields()[field]!.type).name === typeName;
  });
  return returning.length > 0 && returning.every((c) => fields.has(c));
}

function fixFor(change: Change, now: VersionShape): string {
  const next = `contracts/${now.source.name}/v${now.source.version + 1}.graphql`;
  const path = change.path ?? 'it';
  switch (change.type) {
    case ChangeType.FieldRemoved:
      return `restore ${path} as published. A field leaves a published version only after @deprecated(reason: "...") with @sunset(date: "YYYY-MM-DD", deprecatedOn: "YYYY-MM-DD", replacement: "..."), once the sunset has passed and no client used it for ${USAGE_WINDOW_DAYS} days; or remove it in a new version (${next}).`;
    case ChangeType.FieldTypeChanged:
      return `keep the published type of ${path}; serve the new type from a new field (and deprecate this one), or in a new version (${next}).`;
    case ChangeType.FieldArgumentAdded:
      return `make the new argument optional (nullable, or with a default value), so queries written against the published version stay valid.`;
    default:
      return `undo the change to ${path} in ${now.source.file}, or make it in a new version (${next}).`;
  }
}

/** A deprecated field goes only after its sunset, and only once no client used it for 30 days (when that can be known). */
async function checkRemovedDeprecatedFields(before: VersionShape, now: VersionShape, usage: UsageSources, today: string): Promise<{ findings: CheckFinding[]; warnings: CheckWarning[] }> {
  const findings: CheckFinding[] = [];
  const warnings: CheckWarning[] = [];
  // Removed for any audience it was served to (deleted, or OMITted for that audience).
  const removed = new Map([...before.views].flatMap(([audience, was]) => [...removedDeprecatedFields(was, now.views.get(audience))]));
  for (const [coordinate, node] of removed) {
    const sunset = (argumentsOf(node, 'sunset')[0]?.date as string | undefined) ?? null;
    const replacement = (argumentsOf(node, 'sunset')[0]?.replacement as string | undefined) ?? null;
    const used = await readUsage(usage, now.source.name, now.source.version, coordinate);
    const users = used.counts.map((u) => `${u.counts.map((c) => `${c.client} (${c.count})`).join(', ')} according to the ${u.source}`).join('; ');
    const moveTo = replacement ? ` to ${coordinate.split('.')[0]}.${replacement}` : '';
    if (sunset === null || today < sunset) {
      const usageNote = used.answered.length === 0 ? ` Usage in the last ${USAGE_WINDOW_DAYS} days could not be verified.` : users ? ` It was used in the last ${USAGE_WINDOW_DAYS} days by ${users}.` : ` No client used it in the last ${USAGE_WINDOW_DAYS} days (${used.answered.join('; ')}).`;
      findings.push(finding(now, 'deprecated-removed-before-sunset', coordinate, `is deprecated and was removed before its sunset date ${sunset ?? '(none declared)'} (today is ${today}).${usageNote}`, `keep ${coordinate} until ${sunset ?? 'a @sunset date you declare'}; consumers were promised it until then. Remove it on or after that date, once no client uses it.`));
    } else if (users) {
      findings.push(finding(now, 'deprecated-removed-while-used', coordinate, `is deprecated and past its sunset (${sunset}), but was used in the last ${USAGE_WINDOW_DAYS} days by ${users}.`, `keep ${coordinate} until those clients have moved${moveTo} (the catalog's usage for the field shows who still uses it), then remove it.`));
    } else if (used.answered.length === 0) {
      warnings.push({ kind: 'usage-unverified', contract: now.source.name, version: now.source.version, coordinate, file: now.source.file, message: `${coordinate} was removed after its sunset (${sunset}); whether a client used it in the last ${USAGE_WINDOW_DAYS} days could not be verified${used.failures.length ? ` (${used.failures.join('; ')})` : ''}. Allowed: check the field's usage in the production catalog before this ships.` });
    }
  }
  return { findings, warnings };
}

/** Uses per client from every reader that answers; a reader that throws is listed, not counted as zero. */
async function readUsage(usage: UsageSources, contract: string, version: number, coordinate: string): Promise<{ counts: Array<{ source: string; counts: FieldUseCount[] }>; answered: string[]; failures: string[] }> {
  const counts: Array<{ source: string; counts: FieldUseCount[] }> = [];
  const answered: string[] = [];
  const failures: string[] = [];
  for (const reader of usage.readers) {
    try {
      const read = await reader.read(contract, version, coordinate);
      answered.push(reader.source);
      if (read.length > 0) counts.push({ source: reader.source, counts: read });
    } catch (error) {
      failures.push(`${reader.source}: ${(error as Error).message}`);
    }
  }
  return { counts, answered, failures };
}

/** A published version's file is deleted only after its contract-level sunset. */
function checkRemovedVersion(before: VersionShape, today: string, contractsDirectory: string): CheckFinding[] {
  const retiring = before.status === 'DEPRECATED' || before.status === 'RETIRED';
  if (retiring && before.sunset !== null && before.sunset <= today) return [];
  const why = retiring ? `its sunset ${before.sunset ?? '(none declared)'} has not passed (today is ${today})` : `it was published as ${before.status ?? 'ACTIVE'}`;
  const file = relative(process.cwd(), join(contractsDirectory, before.source.name, `v${before.source.version}.graphql`));
  return [{ ...finding(before, 'published-version-removed', null, `was published but its file is gone from the working tree, and ${why}.`, `restore ${file}. To retire a version: set status: DEPRECATED and sunset: "YYYY-MM-DD" in @contract, publish that, and delete the file on or after the sunset.`), file }];
}

/** ACTIVE and DEPRECATED versions are published, and their snapshot is the working tree's SDL. */
function checkPublication(now: VersionShape, before: VersionShape | null, changes: readonly string[], publishedDirectory: string): CheckFinding[] {
  if (!now.status || !PUBLISHED_STATUSES.has(now.status)) return [];
  const snapshot = relative(process.cwd(), join(publishedDirectory, now.source.name, `v${now.source.version}.graphql`));
  const fix = `run \`npm run cli -- publish\` and commit ${snapshot} with the change, so the next change is checked against what consumers now rely on.`;
  if (!before) return [finding(now, 'unpublished-version', null, `is ${now.status} but has never been published (no ${snapshot}).`, fix)];
  if (print(parse(before.source.sdl)) === print(parse(now.source.sdl))) return [];
  const what = changes.length === 0 ? 'descriptions or formatting' : `${changes.slice(0, 5).join('; ')}${changes.length > 5 ? `; and ${changes.length - 5} more` : ''}`;
  return [finding(now, 'unpublished-change', null, `changed compatibly since it was published (${what}), and ${snapshot} was not updated.`, fix)];
}

/** The compiler's refusals, each once: a problem already reported by a rule above on the same field is not repeated. */
function loadProblemFindings(problems: readonly ContractProblem[], contractsDirectory: string, reported: readonly CheckFinding[]): CheckFinding[] {
  return problems.flatMap((problem) => {
    const match = /^([^/\\]+)[/\\]v(\d+)\.(?:graphql|ts)$/.exec(problem.file);
    const contract = match?.[1] ?? problem.file;
    const version = Number(match?.[2] ?? 0);
    if (reported.some((f) => f.contract === contract && f.version === version && f.coordinate === problem.coordinate)) return [];
    return [{ rule: 'contract-invalid' as const, contract, version, coordinate: problem.coordinate, file: relative(process.cwd(), join(contractsDirectory, problem.file)), message: problem.message, fix: problem.fix }];
  });
}
