import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kind, parse, validate } from 'graphql';
import { checkFlowMetrics } from '../../platform/context/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import { compileContract } from './compileContract.js';
import type { ContractProblem } from './ContractError.js';
import { ContractLoadError } from './ContractError.js';
import type { CompiledContract, ContractFlowMetrics, DerivedFieldResolvers } from './ContractModel.js';

const VERSION_FILE = /^v(\d+)\.graphql$/;
/** The derived-field module beside an SDL file is TypeScript in the sources and JavaScript once compiled (`npm run build`), as this module is. */
const MODULE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** What a `v<N>.ts` beside a contract may export. */
interface ContractModule {
  derivedFields?: DerivedFieldResolvers;
  flowMetrics?: ContractFlowMetrics;
}

/**
 * Loads every `contracts/<name>/v<N>.graphql` (and the `v<N>.ts` beside it, for @derived
 * fields and flow metrics). Throws one ContractLoadError listing every problem of every contract:
 * a gateway never starts with a contract it cannot honour.
 */
export async function loadContracts(directory: string, subgraphs: readonly SubgraphVersion[]): Promise<CompiledContract[]> {
  const bySubgraphId = new Map(subgraphs.map((s) => [s.id, s]));
  const problems: ContractProblem[] = [];
  const compiled: CompiledContract[] = [];
  const entries = await readdir(directory, { withFileTypes: true });
  for (const folder of entries.filter((e) => e.isDirectory() && e.name !== 'generated').sort((a, b) => a.name.localeCompare(b.name))) {
    for (const file of (await readdir(join(directory, folder.name))).sort()) {
      const match = VERSION_FILE.exec(file);
      if (!match) continue;
      const path = join(directory, folder.name, file);
      const rel = relative(directory, path);
      const module = await loadModule(path.replace(/\.graphql$/, MODULE_EXTENSION), rel, problems);
      const result = compileContract({ file: rel, sdl: await readFile(path, 'utf8'), expected: { name: folder.name, version: Number(match[1]) }, derived: module?.derivedFields ?? null }, bySubgraphId);
      if (Array.isArray(result)) {
        problems.push(...result);
        continue;
      }
      if (!module?.flowMetrics) {
        compiled.push(result);
        continue;
      }
      const flowProblems = checkContractFlowMetrics(result, module.flowMetrics);
      problems.push(...flowProblems.map((message) => ({ file: rel.replace(/\.graphql$/, MODULE_EXTENSION), coordinate: null, ...splitFix(message) })));
      compiled.push({ ...result, flowMetrics: module.flowMetrics });
    }
  }
  if (problems.length > 0) throw new ContractLoadError(problems);
  return compiled;
}

async function loadModule(path: string, rel: string, problems: ContractProblem[]): Promise<ContractModule | null> {
  const file = rel.replace(/\.graphql$/, MODULE_EXTENSION);
  let module: ContractModule;
  try {
    module = (await import(pathToFileURL(path).href)) as ContractModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(path)) return null;
    problems.push({ file, coordinate: null, message: `cannot be loaded: ${(error as Error).message}.`, fix: 'make the module import cleanly.' });
    return null;
  }
  if (!module.derivedFields && !module.flowMetrics) {
    problems.push({ file, coordinate: null, message: 'exports neither derivedFields nor flowMetrics.', fix: 'export const derivedFields: DerivedFieldResolvers = { Type: { field: (sources) => ... } } (and/or flowMetrics: ContractFlowMetrics), or delete the file.' });
    return null;
  }
  return module;
}

/** A flow metrics declaration the gateway can run: names in `dpg_<contract>_`, and a valid query on this version. */
function checkContractFlowMetrics(contract: CompiledContract, flow: ContractFlowMetrics): string[] {
  const problems = checkFlowMetrics(flow.metrics, `dpg_${contract.meta.name}_`);
  if (typeof flow.samples !== 'function') problems.push('flowMetrics.samples is not a function. Fix: samples: (data) => [{ name, labels, value }, ...].');
  let document;
  try {
    document = parse(flow.operation);
  } catch (error) {
    problems.push(`flowMetrics.operation does not parse: ${(error as Error).message}. Fix: write one query document on this contract version.`);
    return problems;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0]?.operation !== 'query') problems.push('flowMetrics.operation must define exactly one query. Fix: write one `query { ... }` document.');
  const invalid = validate(contract.views.INTERNAL.schema, document).map((e) => e.message);
  if (invalid.length > 0) problems.push(`flowMetrics.operation is not valid on ${contract.meta.name} v${contract.meta.version}: ${invalid.join('; ')} Fix: query fields and arguments this version defines.`);
  return problems;
}

/** Problems are written "what is wrong. Fix: how"; a ContractProblem keeps the two apart. */
function splitFix(problem: string): { message: string; fix: string } {
  const at = problem.indexOf(' Fix: ');
  return at < 0 ? { message: problem, fix: 'see the message.' } : { message: problem.slice(0, at), fix: problem.slice(at + ' Fix: '.length) };
}
