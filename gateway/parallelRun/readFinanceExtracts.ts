import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { businessDateOfFinanceExtract, financeExtractFileName } from '../../subgraphs/index.js';
import { businessDatesBetween } from './businessDatesBetween.js';
import type { ExtractProblem, LegacyBookingLine } from './parseFinanceExtract.js';
import { parseFinanceExtract } from './parseFinanceExtract.js';
import { parallelRunError, ParallelRunErrorCode } from './ParallelRunError.js';

/** What the legacy files of a range say, and everything wrong with them. */
export interface FinanceExtracts {
  directory: string;
  /** The days of the range that have a file: only these are compared. */
  comparedDates: string[];
  /** The days of the range without a file (each also a MISSING_FILE problem). */
  missingDates: string[];
  /** Per file read: data lines in it, and how many were used. */
  files: Array<{ file: string; businessDate: string; dataLines: number; usedLines: number }>;
  /** The usable booking lines, each once. */
  lines: LegacyBookingLine[];
  /** Missing files first (by date), then each file's problems by line. */
  problems: ExtractProblem[];
}

const isNotFound = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Reads `finance_extract_YYYYMMDD.csv` for each business day from `fromDate` to `toDate` in
 * `directory`. A day without its file is reported, never taken as a day without bookings. A
 * directory with no extract for any day of the range is a setup error (wrong --extracts or range).
 */
export async function readFinanceExtracts(directory: string, fromDate: string, toDate: string): Promise<FinanceExtracts> {
  const isDirectory = await stat(directory).then((s) => s.isDirectory(), (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)));
  if (!isDirectory) {
    throw parallelRunError(ParallelRunErrorCode.ExtractsDirectoryMissing, `--extracts ${JSON.stringify(directory)} is not a directory. Fix: pass the folder holding the legacy files finance_extract_YYYYMMDD.csv (npm run cli -- simulate --orders N --legacy-extracts DIR writes some).`);
  }
  const result: FinanceExtracts = { directory, comparedDates: [], missingDates: [], files: [], lines: [], problems: [] };
  const fileProblems: ExtractProblem[] = [];
  for (const date of businessDatesBetween(fromDate, toDate)) {
    const file = financeExtractFileName(date);
    const bytes = await readFile(join(directory, file)).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error)));
    if (bytes === null) {
      result.missingDates.push(date);
      result.problems.push({ kind: 'MISSING_FILE', file, line: null, detail: `no file for business day ${date}: nothing of that day is compared (neither side's lines)`, text: null, duplicateOf: null });
      continue;
    }
    const parsed = parseFinanceExtract(file, bytes, date);
    result.comparedDates.push(date);
    result.files.push({ file, businessDate: date, dataLines: parsed.dataLines, usedLines: parsed.lines.length });
    result.lines.push(...parsed.lines);
    fileProblems.push(...parsed.problems);
  }
  if (result.comparedDates.length === 0) {
    const present = (await readdir(directory)).map(businessDateOfFinanceExtract).filter((d): d is string => d !== null).sort();
    const holds = present.length === 0 ? 'no finance_extract_YYYYMMDD.csv at all' : `${present.length} extract(s), for ${present[0]} to ${present.at(-1)}`;
    throw parallelRunError(ParallelRunErrorCode.NoExtractsInRange, `--extracts ${JSON.stringify(directory)} has no extract for any day from ${fromDate} to ${toDate} (it holds ${holds}). Fix: point --extracts at the legacy files, or --from/--to at the days they cover.`);
  }
  result.problems.push(...fileProblems);
  return result;
}
