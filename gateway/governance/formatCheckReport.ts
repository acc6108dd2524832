import type { CheckReport } from './CheckReport.js';
import { USAGE_WINDOW_DAYS } from './FieldUsageReader.js';

/**
 * The report for a person (a CI log, a terminal): what was compared, whether usage could be
 * verified, then one block per finding (contract, version, field, rule; what is wrong; the fix),
 * the warnings, and the verdict on the last line. `--format json` prints the CheckReport itself.
 */
export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  const published = report.versions.filter((v) => v.published).length;
  lines.push(`Contract check (today ${report.today}): ${report.versions.filter((v) => v.inWorkingTree).length} version(s) in ${report.contractsDirectory}/, ${published} published in ${report.publishedDirectory}/.`);
  switch (report.usage.kind) {
    case 'verified':
      lines.push(`Usage in the last ${USAGE_WINDOW_DAYS} days is read from: ${report.usage.sources.join('; ')}.${report.usage.unavailable.length ? ` Not available: ${report.usage.unavailable.join(' ')}` : ''}`);
      break;
    case 'unverified':
      lines.push(`Usage in the last ${USAGE_WINDOW_DAYS} days could not be verified: ${report.usage.reason} So a deprecated field's removal is refused before its sunset date; after it, the removal passes with a warning.`);
      break;
    default:
      throw new Error(`unknown usage verification ${JSON.stringify(report.usage)}`);
  }
  for (const f of report.findings) {
    lines.push('', `FAIL ${f.contract} v${f.version}${f.coordinate ? ` ${f.coordinate}` : ''} [${f.rule}]`, `  ${f.file}: ${f.coordinate ?? `${f.contract} v${f.version}`} ${f.message}`, `  Fix: ${f.fix}`);
  }
  for (const w of report.warnings) {
    lines.push('', `WARN ${w.contract} v${w.version}${w.coordinate ? ` ${w.coordinate}` : ''} [${w.kind}]`, `  ${w.file}: ${w.message}`);
  }
  const counts = `${report.findings.length} finding(s), ${report.warnings.length} warning(s)`;
  lines.push('', report.passed ? `Contract check passed: ${counts}.` : `Contract check failed: ${counts}.`);
  return `${lines.join('\n')}\n`;
}
