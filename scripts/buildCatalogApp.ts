import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCatalogApp } from '../gateway/catalog/bundleCatalogApp.js';

/**
 * Bundles the catalog web app from `root`'s sources into `<outDir>/gateway/catalog/app-bundle/`,
 * where the compiled gateway (createCatalogApp) serves it from. Returns the files written with
 * their sizes in bytes.
 */
export async function buildCatalogApp(root: string, outDir: string): Promise<Array<{ file: string; bytes: number }>> {
  const files = await bundleCatalogApp({ sourceDirectory: join(root, 'gateway/catalog/app') });
  const target = join(outDir, 'gateway/catalog/app-bundle');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const written = [];
  for (const [name, contents] of files) {
    await writeFile(join(target, name), contents);
    written.push({ file: relative(root, join(target, name)), bytes: contents.byteLength });
  }
  return written;
}

// `node dist/scripts/buildCatalogApp.js` (the last step of `npm run build`): from the repository root into dist/.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const written = await buildCatalogApp(dirname(outDir), outDir);
  console.log(`catalog web app: ${written.map((w) => `${w.file} (${(w.bytes / 1024).toFixed(1)} KiB)`).join(', ')}`);
}
