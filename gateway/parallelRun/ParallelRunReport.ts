import type { Classification, DivergenceClass } from './classifyDivergence.js';
import { DIVERGENCE_CLASS_DEFINITIONS, DIVERGENCE_CLASSES } from './classifyDivergence.js';
import type { DatedNets } from './compareWithLedger.js';
import type { CutOverVerdict } from './decideCutOver.js';
import type { ExtractProblem, ExtractProblemKind } from './parseFinanceExtract.js';

/** The definitions a reader needs to trust the counts; written into every report and the README. */
export const PARALLEL_RUN_DEFINITIONS = {
  legacyNet:
    "Legacy net of an order on a business date: the sum of NET_AMT of the order's usable lines in that date's file, per currency (a booking positive, a cancellation negative, an exact duplicate counted once, a mis-encoded or malformed line left out and reported).",
  newNet: "New net of an order on a business date: the sum of the amounts of the order's finance_recognized_sale v1 ledger lines of that business date (its RECOGNITION line and its ADJUSTMENT lines), per currency.",
  compared:
    'Nets are compared per order and business date, on the dates of the range that have a legacy file; a day without its file is reported and neither side is compared on it. Equal nets are no divergence, and a net of zero counts as nothing (a zero RECOGNITION line agrees with no legacy line). An order diverges when its nets differ on at least one compared date.',
  scope:
    "An order is in scope when the legacy files hold it, or the new side says it was entered through the legacy OMS (RecognizedSale.sourceSystem); orders with ledger lines in the range that never passed through the legacy OMS are counted as out of scope, per source system.",
  precedence:
    'Each diverging order gets one class: the first of CANCELLED_AFTER_BOOKING, NO_CAPTURE, MISSING_IN_NEW, MISSING_IN_LEGACY, AMOUNT, TIMING whose condition holds, the other matching classes listed beside it; UNEXPLAINED when none holds. So when both the amount and the dates differ, the order is AMOUNT with TIMING listed.',
  classes: DIVERGENCE_CLASS_DEFINITIONS,
} as const;

export interface ParallelRunDivergence extends Classification {
  orderId: string;
  /** The order's nets on each compared date where either side has lines. */
  dates: DatedNets[];
  /** Where its legacy lines were read (`file:line`). */
  legacyLines: string[];
  sourceSystem: string | null;
  knownToNewSide: boolean;
  newCancelledAt: string | null;
  newCaptured: boolean;
}

/** The JSON report (`parallel-run.json`); the markdown report renders the same content. */
export interface ParallelRunReport {
  reportVersion: 1;
  generatedAt: string;
  fromDate: string;
  toDate: string;
  verdict: CutOverVerdict;
  /** Most UNEXPLAINED divergences a GO allows. */
  threshold: number;
  unexplained: number;
  verdictReason: string;
  definitions: typeof PARALLEL_RUN_DEFINITIONS;
  legacy: {
    directory: string;
    comparedDates: string[];
    missingDates: string[];
    filesRead: number;
    /** Data lines in the files read (headers not counted). */
    dataLines: number;
    /** Lines compared: each usable booking once. */
    usedLines: number;
    problemCounts: Record<ExtractProblemKind, number>;
    /** Every problem, with its file and line. */
    problems: ExtractProblem[];
  };
  newSide: {
    contract: string;
    /** The `sourceSystem` taken as the legacy OMS. */
    legacySourceSystem: string;
    ledgerLinesRead: number;
    ordersRead: number;
    /** In-scope ledger lines on days without a legacy file: not compared. */
    linesOnMissingDates: number;
  };
  scope: {
    inScopeOrders: number;
    agreeingOrders: number;
    divergingOrders: number;
    outOfScopeOrders: number;
    outOfScopeBySourceSystem: Record<string, number>;
  };
  countsByClass: Record<DivergenceClass, number>;
  /** Every diverging order, by order id. */
  divergences: ParallelRunDivergence[];
}

/** Zero for every class, in precedence order: a report always shows all seven. */
export const emptyClassCounts = (): Record<DivergenceClass, number> => Object.fromEntries(DIVERGENCE_CLASSES.map((c) => [c, 0])) as Record<DivergenceClass, number>;
