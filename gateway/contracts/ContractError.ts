/** A contract that cannot load: names the file, the field (when there is one) and the fix. */
export interface ContractProblem {
  file: string;
  coordinate: string | null;
  message: string;
  fix: string;
}

export function describeProblem(problem: ContractProblem): string {
  return `${problem.file}${problem.coordinate ? ` ${problem.coordinate}` : ''}: ${problem.message} Fix: ${problem.fix}`;
}

/** Thrown by `loadContracts` when any contract fails: the gateway refuses to start on a broken contract. */
export class ContractLoadError extends Error {
  readonly code = 'CONTRACT_INVALID';
  readonly problems: readonly ContractProblem[];

  constructor(problems: readonly ContractProblem[]) {
    super(`${problems.length} contract problem${problems.length === 1 ? '' : 's'}:\n  - ${problems.map(describeProblem).join('\n  - ')}`);
    this.name = 'ContractLoadError';
    this.problems = problems;
  }
}
