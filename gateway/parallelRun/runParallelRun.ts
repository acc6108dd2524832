import { businessDatesBetween, isBusinessDate } from './businessDatesBetween.js';
import { classifyDivergence } from './classifyDivergence.js';
import { compareWithLedger } from './compareWithLedger.js';
import { decideCutOver } from './decideCutOver.js';
import type { ExtractProblemKind } from './parseFinanceExtract.js';
import { parallelRunError, ParallelRunErrorCode } from './ParallelRunError.js';
import type { ParallelRunDivergence, ParallelRunReport } from './ParallelRunReport.js';
import { emptyClassCounts, PARALLEL_RUN_DEFINITIONS } from './ParallelRunReport.js';
import { readFinanceExtracts } from './readFinanceExtracts.js';
import type { RecognizedSaleQuery } from './readRecognizedSales.js';
import { readRecognizedSales } from './readRecognizedSales.js';

/** `sourceSystem` of an order entered through the legacy OMS, as finance_recognized_sale v1 documents it. */
export const DEFAULT_LEGACY_SOURCE_SYSTEM = 'legacy-oms';
/** Longest range one run covers: a year and a day. Longer is almost always a typo in a year. */
export const MAX_PARALLEL_RUN_DATES = 366;

export interface ParallelRunOptions {
  /** The folder holding `finance_extract_YYYYMMDD.csv`. */
  extractsDirectory: string;
  /** First business day compared, YYYY-MM-DD. */
  fromDate: string;
  /** Last business day compared, YYYY-MM-DD, both included. */
  toDate: string;
  /** Most UNEXPLAINED divergences a GO allows. Default 0: every divergence must be explained. */
  threshold?: number;
  /** The `sourceSystem` of orders entered through the legacy OMS. Default `legacy-oms`. */
  legacySourceSystem?: string;
  /** The report's time stamp. Default: now. */
  now?: () => Date;
}

const PROBLEM_KINDS: readonly ExtractProblemKind[] = ['MISSING_FILE', 'EMPTY_FILE', 'BAD_HEADER', 'DUPLICATE_LINE', 'MIS_ENCODED_LINE', 'MALFORMED_LINE'];

/** Every problem with the options at once, each naming its option, what was received and the fix. */
function checkOptions(options: ParallelRunOptions): void {
  const dateProblems: string[] = [];
  for (const [option, value] of [['--from', options.fromDate], ['--to', options.toDate]] as const) {
    if (!isBusinessDate(value)) dateProblems.push(`${option} must be a UTC business date written YYYY-MM-DD, e.g. 2026-11-02; received ${JSON.stringify(value)}.`);
  }
  if (dateProblems.length === 0) {
    const dates = businessDatesBetween(options.fromDate, options.toDate).length;
    if (dates === 0) dateProblems.push(`--from (${options.fromDate}) is after --to (${options.toDate}): the range runs from the earlier day to the later, both included.`);
    else if (dates > MAX_PARALLEL_RUN_DATES) dateProblems.push(`--from ${options.fromDate} to --to ${options.toDate} is ${dates} days; one run covers at most ${MAX_PARALLEL_RUN_DATES}. Run shorter ranges.`);
  }
  if (dateProblems.length > 0) throw parallelRunError(ParallelRunErrorCode.RangeInvalid, dateProblems.join('\n'));
  const threshold = options.threshold ?? 0;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw parallelRunError(ParallelRunErrorCode.ThresholdInvalid, `--threshold is the most unexplained divergences a GO allows, a whole number >= 0; received ${JSON.stringify(options.threshold)}.`);
  }
}

/**
 * The parallel run: reads the legacy finance extracts of the range, reads the same orders and
 * dates through finance_recognized_sale v1, compares nets per order and business date, classifies
 * every divergence and decides the cut-over. Setup problems throw a ParallelRunError; the legacy's
 * own faults are findings in the report, never errors.
 */
export async function runParallelRun(query: RecognizedSaleQuery, options: ParallelRunOptions): Promise<ParallelRunReport> {
  checkOptions(options);
  const { fromDate, toDate } = options;
  const threshold = options.threshold ?? 0;
  const legacySourceSystem = options.legacySourceSystem ?? DEFAULT_LEGACY_SOURCE_SYSTEM;
  const extracts = await readFinanceExtracts(options.extractsDirectory, fromDate, toDate);
  const newSide = await readRecognizedSales(query, { fromDate, toDate, orderIds: [...new Set(extracts.lines.map((l) => l.orderId))] });
  const comparison = compareWithLedger(extracts.lines, newSide, { fromDate, toDate, comparedDates: extracts.comparedDates, legacySourceSystem });

  const countsByClass = emptyClassCounts();
  const divergences = comparison.diverging.map((order): ParallelRunDivergence => {
    const classification = classifyDivergence(order.evidence);
    countsByClass[classification.divergenceClass]++;
    return {
      orderId: order.orderId,
      ...classification,
      dates: order.dates,
      legacyLines: order.legacyLineRefs,
      sourceSystem: order.sourceSystem,
      knownToNewSide: order.knownToNewSide,
      newCancelledAt: order.evidence.newCancelledAt,
      newCaptured: order.evidence.newCaptured,
    };
  });
  const decision = decideCutOver(countsByClass.UNEXPLAINED, threshold);
  const problemCounts = Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, extracts.problems.filter((p) => p.kind === kind).length])) as Record<ExtractProblemKind, number>;
  return {
    reportVersion: 1,
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    fromDate,
    toDate,
    verdict: decision.verdict,
    threshold,
    unexplained: decision.unexplained,
    verdictReason: decision.reason,
    definitions: PARALLEL_RUN_DEFINITIONS,
    legacy: {
      directory: extracts.directory,
      comparedDates: extracts.comparedDates,
      missingDates: extracts.missingDates,
      filesRead: extracts.files.length,
      dataLines: extracts.files.reduce((sum, f) => sum + f.dataLines, 0),
      usedLines: extracts.lines.length,
      problemCounts,
      problems: extracts.problems,
    },
    newSide: { contract: 'finance_recognized_sale/v1', legacySourceSystem, ledgerLinesRead: newSide.ledgerLinesRead, ordersRead: newSide.sales.size, linesOnMissingDates: comparison.newLinesOnMissingDates },
    scope: {
      inScopeOrders: comparison.inScopeOrders,
      agreeingOrders: comparison.agreeingOrders,
      divergingOrders: divergences.length,
      outOfScopeOrders: Object.values(comparison.outOfScope).reduce((sum, n) => sum + n, 0),
      outOfScopeBySourceSystem: comparison.outOfScope,
    },
    countsByClass,
    divergences,
  };
}
