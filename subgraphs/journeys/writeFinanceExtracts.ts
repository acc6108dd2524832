import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FinanceExtractSet } from './planFinanceExtracts.js';

/** Writes the planned extract files into `directory` (created if needed); returns the paths written. */
export async function writeFinanceExtracts(directory: string, extracts: FinanceExtractSet): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const paths = extracts.files.map((file) => join(directory, file.name));
  await Promise.all(extracts.files.map((file, i) => writeFile(paths[i]!, file.bytes)));
  return paths;
}
