import { join } from 'node:path';

/** The app's files as served under `/catalog/assets/`: `app.js` and `app.css`. */
export type CatalogAppFiles = ReadonlyMap<string, Uint8Array>;

export interface BundleCatalogAppOptions {
  /** The app's sources (`gateway/catalog/app/`, where `main.tsx` is). */
  sourceDirectory: string;
  /** Minify. Default true: the bundle is what a steward's browser downloads. */
  minify?: boolean;
}

/**
 * Bundles the catalog web app (Preact, dagre, uPlot and the app's own code) into one script and
 * one stylesheet with esbuild. `npm run build` writes them beside the compiled gateway
 * (scripts/buildCatalogApp.ts); a gateway run from source (tsx, vitest) bundles in memory at
 * start instead. esbuild is a dev dependency, imported only here: a built gateway never loads it.
 */
export async function bundleCatalogApp(options: BundleCatalogAppOptions): Promise<CatalogAppFiles> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { app: join(options.sourceDirectory, 'main.tsx') },
    bundle: true,
    write: false,
    outdir: '/catalog-app',
    format: 'esm',
    // Browsers a steward uses today; no polyfills are bundled.
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    platform: 'browser',
    minify: options.minify ?? true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(options.sourceDirectory, 'tsconfig.json'),
    logLevel: 'silent',
    // The licences of what is bundled stay with it, at the end of each file.
    legalComments: 'eof',
  });
  return new Map(result.outputFiles.map((file) => [file.path.slice('/catalog-app/'.length), file.contents]));
}
