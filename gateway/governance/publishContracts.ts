import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CheckReport, CheckRule } from './CheckReport.js';
import { PUBLISHED_STATUSES } from './checkContracts.js';
import { readContractVersions } from './readContractVersions.js';
import type { ContractCheckOptions } from './runContractCheck.js';
import { runContractCheck } from './runContractCheck.js';

/** The findings publishing resolves; any other finding refuses the publication. */
const RESOLVED_BY_PUBLISHING: ReadonlySet<CheckRule> = new Set(['unpublished-version', 'unpublished-change']);

export interface PublishResult {
  /** The check run before publishing. */
  report: CheckReport;
  /** True when the check found something publishing cannot resolve: nothing was written. */
  refused: boolean;
  /** Snapshots written, relative to the working directory; empty when all were up to date. */
  written: string[];
}

/**
 * Snapshots the SDL of every ACTIVE and DEPRECATED version into the published folder, which
 * `check` then compares with. Refused when the check finds anything else: publishing is how a
 * change becomes the reference, so a breaking change must not get there by being published.
 * DRAFT versions are not published (they may still change); a RETIRED version keeps the snapshot
 * it had.
 */
export async function publishContracts(options: ContractCheckOptions): Promise<PublishResult> {
  const report = await runContractCheck(options);
  if (report.findings.some((f) => !RESOLVED_BY_PUBLISHING.has(f.rule))) return { report, refused: true, written: [] };
  const written: string[] = [];
  for (const version of await readContractVersions(options.contractsDirectory)) {
    const status = report.versions.find((v) => v.contract === version.name && v.version === version.version)?.status;
    if (!status || !PUBLISHED_STATUSES.has(status)) continue;
    const target = join(options.publishedDirectory, version.name, `v${version.version}.graphql`);
    const content = `# Published snapshot of contracts/${version.name}/v${version.version}.graphql: what consumers of ${version.name} v${version.version} rely on.\n# Written by \`npm run cli -- publish\`; \`npm run cli -- check\` compares the working tree with it. Do not edit.\n\n${version.sdl}`;
    if ((await readFile(target, 'utf8').catch(() => null)) === content) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(relative(process.cwd(), target));
  }
  return { report, refused: false, written };
}
