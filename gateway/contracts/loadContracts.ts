import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import { compileContract } from './compileContract.js';
import type { ContractProblem } from './ContractError.js';
import { ContractLoadError } from './ContractError.js';
import type { CompiledContract, DerivedFieldResolvers } from './ContractModel.js';

const VERSION_FILE = /^v(\d+)\.graphql$/;
/** The derived-field module beside an SDL file is TypeScript in the sources and JavaScript once compiled (`npm run build`), as this module is. */
const MODULE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * Loads every `contracts/<name>/v<N>.graphql` (and the `v<N>.ts` beside it, for @derived
 * fields). Throws one ContractLoadError listing every problem of every contract: a gateway
 * never starts with a contract it cannot honour.
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
      const derived = await loadDerived(path.replace(/\.graphql$/, MODULE_EXTENSION), rel, problems);
      const result = compileContract({ file: rel, sdl: await readFile(path, 'utf8'), expected: { name: folder.name, version: Number(match[1]) }, derived }, bySubgraphId);
      if (Array.isArray(result)) problems.push(...result);
      else compiled.push(result);
    }
  }
  if (problems.length > 0) throw new ContractLoadError(problems);
  return compiled;
}

async function loadDerived(path: string, rel: string, problems: ContractProblem[]): Promise<DerivedFieldResolvers | null> {
  let module: { derivedFields?: DerivedFieldResolvers };
  try {
    module = (await import(pathToFileURL(path).href)) as { derivedFields?: DerivedFieldResolvers };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(path)) return null;
    problems.push({ file: rel.replace(/\.graphql$/, MODULE_EXTENSION), coordinate: null, message: `cannot be loaded: ${(error as Error).message}.`, fix: 'make the module import cleanly.' });
    return null;
  }
  if (!module.derivedFields) {
    problems.push({ file: rel.replace(/\.graphql$/, MODULE_EXTENSION), coordinate: null, message: 'exports no derivedFields.', fix: 'export const derivedFields: DerivedFieldResolvers = { Type: { field: (sources) => ... } }.' });
    return null;
  }
  return module.derivedFields;
}
