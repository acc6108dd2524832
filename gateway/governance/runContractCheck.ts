import { stat } from 'node:fs/promises';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import type { ContractProblem } from '../contracts/index.js';
import { ContractLoadError, loadContracts } from '../contracts/index.js';
import { checkConfigError } from './CheckConfigError.js';
import type { CheckReport } from './CheckReport.js';
import type { UsageSources } from './checkContracts.js';
import { checkContracts } from './checkContracts.js';
import { readContractVersions } from './readContractVersions.js';

export interface ContractCheckOptions {
  /** The working tree's contracts (`contracts/`). */
  contractsDirectory: string;
  /** The published snapshots (`contracts/published/`). */
  publishedDirectory: string;
  /** What the contracts compile against (the registry's subgraph versions). */
  subgraphs: readonly SubgraphVersion[];
  usage: UsageSources;
  /** YYYY-MM-DD (UTC). */
  today: string;
}

/** Reads both folders, compiles the working tree as the gateway would, and runs every rule. */
export async function runContractCheck(options: ContractCheckOptions): Promise<CheckReport> {
  const found = await stat(options.contractsDirectory).catch(() => null);
  if (!found?.isDirectory()) throw checkConfigError(`The contracts folder ${options.contractsDirectory} does not exist. Fix: run from the repository root, or pass --contracts-dir DIR.`);
  const current = await readContractVersions(options.contractsDirectory);
  const published = await readContractVersions(options.publishedDirectory);
  let loadProblems: readonly ContractProblem[] = [];
  try {
    await loadContracts(options.contractsDirectory, options.subgraphs);
  } catch (error) {
    if (!(error instanceof ContractLoadError)) throw error;
    loadProblems = error.problems;
  }
  return checkContracts({ current, published, loadProblems, usage: options.usage, today: options.today, contractsDirectory: options.contractsDirectory, publishedDirectory: options.publishedDirectory });
}
