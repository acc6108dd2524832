import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** One `<name>/v<N>.graphql` file: a contract version in the working tree, or its published snapshot. */
export interface ContractVersionFile {
  name: string;
  version: number;
  /** Path for messages, relative to the working directory (`contracts/shop/v1.graphql`). */
  file: string;
  sdl: string;
}

const VERSION_FILE = /^v(\d+)\.graphql$/;
/** Folders beside the contracts that are not contracts. */
const NOT_CONTRACTS = new Set(['generated', 'published']);

/**
 * Every `<directory>/<name>/v<N>.graphql`, sorted by name and version. A missing directory has
 * no versions (nothing published yet), which the caller decides is fine or not.
 */
export async function readContractVersions(directory: string): Promise<ContractVersionFile[]> {
  let folders: string[];
  try {
    folders = (await readdir(directory, { withFileTypes: true })).filter((e) => e.isDirectory() && !NOT_CONTRACTS.has(e.name)).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const versions: ContractVersionFile[] = [];
  for (const name of folders.sort()) {
    for (const entry of await readdir(join(directory, name))) {
      const match = VERSION_FILE.exec(entry);
      if (!match) continue;
      const path = join(directory, name, entry);
      versions.push({ name, version: Number(match[1]), file: relative(process.cwd(), path), sdl: await readFile(path, 'utf8') });
    }
  }
  return versions.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}
