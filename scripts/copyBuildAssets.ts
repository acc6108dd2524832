import { cp, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose non-TypeScript files the compiled code reads at run time (SDL of contracts and subgraphs). */
const ASSET_FOLDERS = ['contracts', 'subgraphs'];
const ASSET = /\.graphql$/;

/**
 * Copies the files the compiled gateway reads beside its modules (`*.graphql`) from the sources
 * into the build output, at the same relative paths: tsc emits JavaScript only. Returns the
 * paths copied, relative to `root`.
 */
export async function copyBuildAssets(root: string, outDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const folder of ASSET_FOLDERS) {
    const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile() && ASSET.test(e.name))) {
      const path = relative(root, join(entry.parentPath, entry.name));
      await cp(join(root, path), join(outDir, path));
      copied.push(path);
    }
  }
  return copied.sort();
}

// `node dist/scripts/copyBuildAssets.js` (the last step of `npm run build`): from the repository root into dist/.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const copied = await copyBuildAssets(dirname(outDir), outDir);
  console.log(`copied ${copied.length} assets into ${relative(process.cwd(), outDir) || '.'}: ${copied.join(', ')}`);
}
