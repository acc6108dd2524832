// The parallel run against the legacy finance extract (DESIGN §11): read the legacy files, read
// the same orders and dates through finance_recognized_sale v1, compare nets per order and
// business date, classify each divergence, decide the cut-over. One job per module; this is the
// folder's public surface.
export { classifyDivergence, DIVERGENCE_CLASS_DEFINITIONS, DIVERGENCE_CLASSES, matchingClasses } from './classifyDivergence.js';
export type { Classification, DatedAmount, DivergenceClass, DivergenceEvidence } from './classifyDivergence.js';
export { compareWithLedger } from './compareWithLedger.js';
export type { CompareOptions, DatedNets, DivergingOrder, LedgerComparison } from './compareWithLedger.js';
export { decideCutOver } from './decideCutOver.js';
export type { CutOverDecision, CutOverVerdict } from './decideCutOver.js';
export type { CentsInCurrency, MoneyAmount } from './netPerCurrency.js';
export { openRecognizedSaleQuery, RECOGNIZED_SALE_CONTRACT } from './openRecognizedSaleQuery.js';
export type { RecognizedSaleQueryOptions } from './openRecognizedSaleQuery.js';
export { isParallelRunError, ParallelRunErrorCode } from './ParallelRunError.js';
export { parseFinanceExtract } from './parseFinanceExtract.js';
export type { ExtractProblem, ExtractProblemKind, LegacyBookingLine, ParsedFinanceExtract } from './parseFinanceExtract.js';
export { PARALLEL_RUN_DEFINITIONS } from './ParallelRunReport.js';
export type { ParallelRunDivergence, ParallelRunReport } from './ParallelRunReport.js';
export { readFinanceExtracts } from './readFinanceExtracts.js';
export type { FinanceExtracts } from './readFinanceExtracts.js';
export { readRecognizedSales } from './readRecognizedSales.js';
export type { ContractAnswer, NewLedgerLine, NewSide, NewSideSale, ReadRecognizedSalesOptions, RecognizedSaleQuery } from './readRecognizedSales.js';
export { DEFAULT_LEGACY_SOURCE_SYSTEM, MAX_PARALLEL_RUN_DATES, runParallelRun } from './runParallelRun.js';
export type { ParallelRunOptions } from './runParallelRun.js';
export { PARALLEL_RUN_JSON, PARALLEL_RUN_MARKDOWN, renderParallelRunMarkdown, writeParallelRunReport } from './writeParallelRunReport.js';
export type { RenderOptions } from './writeParallelRunReport.js';
