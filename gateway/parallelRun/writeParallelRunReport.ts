import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIVERGENCE_CLASSES } from './classifyDivergence.js';
import type { MoneyAmount } from './netPerCurrency.js';
import type { ParallelRunReport } from './ParallelRunReport.js';

export const PARALLEL_RUN_MARKDOWN = 'parallel-run.md';
export const PARALLEL_RUN_JSON = 'parallel-run.json';

export interface RenderOptions {
  /** Diverging orders shown per class in the markdown (the JSON has all). Default 5. */
  examplesPerClass?: number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const money = (amounts: readonly MoneyAmount[]) => (amounts.length === 0 ? '—' : amounts.map((m) => `${m.amount} ${m.currency}`).join(', '));

/** The markdown report: verdict first, then counts per class, the legacy files' problems, examples per class, and the definitions. */
export function renderParallelRunMarkdown(report: ParallelRunReport, options: RenderOptions = {}): string {
  const examples = options.examplesPerClass ?? 5;
  const { legacy, scope, newSide } = report;
  const out: string[] = [];
  out.push(`# Parallel run: legacy finance extract vs ${newSide.contract}`, '');
  out.push(`**Verdict: ${report.verdict}**: ${report.verdictReason}`, '');
  out.push(
    `Business days ${report.fromDate} to ${report.toDate}: ${legacy.comparedDates.length} compared, ${legacy.missingDates.length} without a legacy file${legacy.missingDates.length ? ` (${legacy.missingDates.join(', ')})` : ''}. ` +
      `${legacy.filesRead} file(s), ${legacy.dataLines} data line(s), ${legacy.usedLines} used. New side: ${newSide.ordersRead} order(s) read, ${newSide.ledgerLinesRead} ledger line(s) in the range` +
      `${newSide.linesOnMissingDates ? `, ${newSide.linesOnMissingDates} of them (in scope) on days without a legacy file, not compared` : ''}. Generated ${report.generatedAt}.`,
    '',
  );
  const outOfScope = Object.entries(scope.outOfScopeBySourceSystem).sort(([a], [b]) => (a < b ? -1 : 1)).map(([source, n]) => `${source} ${n}`).join(', ');
  out.push(
    `In scope: ${scope.inScopeOrders} order(s) of the legacy OMS; ${scope.agreeingOrders} agree on every compared date, ${scope.divergingOrders} diverge. ` +
      `Out of scope: ${scope.outOfScopeOrders} order(s) that never passed through the legacy OMS${outOfScope ? ` (${outOfScope})` : ''}.`,
    '',
  );

  out.push('## Divergences by class', '', '| class | orders | condition |', '|---|---:|---|');
  for (const c of DIVERGENCE_CLASSES) out.push(`| ${c} | ${report.countsByClass[c]} | ${cell(report.definitions.classes[c])} |`);
  out.push(`| **diverging orders** | **${scope.divergingOrders}** | one class per order, by precedence |`, '');

  out.push('## Problems in the legacy files', '');
  if (legacy.problems.length === 0) out.push('None: every file of the range is present and every line was usable.', '');
  else {
    out.push('| file | line | problem | detail | line as read |', '|---|---:|---|---|---|');
    for (const p of legacy.problems) out.push(`| ${p.file} | ${p.line ?? '—'} | ${p.kind} | ${cell(p.detail)} | ${p.text === null ? '—' : `\`${cell(p.text)}\``} |`);
    out.push('');
  }

  out.push('## Examples per class', '', `Up to ${examples} per class; every diverging order is in ${PARALLEL_RUN_JSON}.`, '');
  for (const c of DIVERGENCE_CLASSES) {
    const orders = report.divergences.filter((d) => d.divergenceClass === c);
    if (orders.length === 0) continue;
    out.push(`### ${c} (${orders.length})`, '', '| order | also matching | business date | legacy net | new net | legacy lines |', '|---|---|---|---:|---:|---|');
    for (const order of orders.slice(0, examples)) {
      order.dates.forEach((d, i) => {
        const first = i === 0;
        out.push(`| ${first ? order.orderId : ''} | ${first ? order.alsoMatching.join(', ') || '—' : ''} | ${d.businessDate}${d.agree ? '' : ' ≠'} | ${money(d.legacy)} | ${money(d.new)} | ${first ? order.legacyLines.join(', ') || '—' : ''} |`);
      });
    }
    out.push('');
  }

  const d = report.definitions;
  out.push('## Definitions', '', `- ${d.legacyNet}`, `- ${d.newNet}`, `- ${d.compared}`, `- ${d.scope}`, `- ${d.precedence}`, `- Cut-over: GO when the UNEXPLAINED divergences are at most the threshold (${report.threshold}); the others are known differences between the two rules.`, '');
  return out.join('\n');
}

/** Writes `parallel-run.md` and `parallel-run.json` into `directory` (created if needed). */
export async function writeParallelRunReport(directory: string, report: ParallelRunReport, options: RenderOptions = {}): Promise<{ markdown: string; json: string }> {
  await mkdir(directory, { recursive: true });
  const paths = { markdown: join(directory, PARALLEL_RUN_MARKDOWN), json: join(directory, PARALLEL_RUN_JSON) };
  await writeFile(paths.markdown, renderParallelRunMarkdown(report, options));
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  return paths;
}
