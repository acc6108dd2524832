import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogAppFiles } from './bundleCatalogApp.js';
import { bundleCatalogApp } from './bundleCatalogApp.js';

/** Where the built app's files are served from. */
export const CATALOG_ASSETS_PATH = '/catalog/assets/';

/**
 * Only this origin's own script, styles and API: no inline script or style, nothing from another
 * site (the app is usable offline, behind a firewall), no framing, forms post only here.
 */
export const CATALOG_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export interface CatalogAppOptions {
  /**
   * The built app (`app.js`, `app.css`). Default: `app-bundle/` beside this module, which
   * `npm run build` writes; when it is absent (running from source) the app is bundled in memory
   * from `app/` beside this module, once per process.
   */
  files?: CatalogAppFiles;
}

export interface CatalogApp {
  /** `GET /catalog/assets/<file>`: the app's script and stylesheet, to anyone (they hold no data). False for an unknown file. */
  serveAsset(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** The page a signed-in browser gets at `/catalog`: the app's shell, which asks the catalog API for everything it shows. */
  sendShell(res: ServerResponse): void;
}

let bundledFromSource: Promise<CatalogAppFiles> | null = null;

async function defaultFiles(): Promise<CatalogAppFiles> {
  const built = fileURLToPath(new URL('./app-bundle/', import.meta.url));
  if (existsSync(built)) {
    const names = await readdir(built);
    return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(built, name))] as const)));
  }
  bundledFromSource ??= bundleCatalogApp({ sourceDirectory: fileURLToPath(new URL('./app/', import.meta.url)) });
  return bundledFromSource;
}

/**
 * The catalog web app for stewards, served by the gateway itself: a small shell page, and one
 * script and one stylesheet, all from this origin (see CATALOG_CONTENT_SECURITY_POLICY). The
 * shell carries no data: the app reads the catalog API (`POST /catalog`) with the browser's
 * session cookie, so what a principal sees is exactly what the API shows it.
 */
export async function createCatalogApp(options: CatalogAppOptions = {}): Promise<CatalogApp> {
  const files = options.files ?? (await defaultFiles());
  const assets = new Map(
    [...files].map(([name, body]) => {
      const extension = name.slice(name.lastIndexOf('.'));
      return [name, { body, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }] as const;
    }),
  );
  for (const required of ['app.js', 'app.css']) {
    if (!assets.has(required)) throw new Error(`The catalog web app has no ${required} (files: ${[...assets.keys()].join(', ') || 'none'}). Rebuild it: npm run build.`);
  }
  // Each asset's URL names its version, so a browser never runs a script from one build with the styles of another.
  const versioned = (name: string) => `${CATALOG_ASSETS_PATH}${name}?v=${encodeURIComponent(assets.get(name)!.etag.slice(1, 9))}`;
  const shell = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Data Product Catalog</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${versioned('app.css')}">
<script type="module" src="${versioned('app.js')}"></script>
</head><body><div id="app"><noscript><p>This catalog needs JavaScript. The same contracts, fields, lineage and deprecations without it: <a href="/catalog/static">/catalog/static</a>.</p></noscript></div></body></html>`;
  return {
    serveAsset(req, res, path) {
      const asset = assets.get(path.slice(CATALOG_ASSETS_PATH.length));
      if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      const headers = { 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      res.writeHead(200, { ...headers, 'content-length': String(asset.body.byteLength) });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return true;
    },
    sendShell(res) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': CATALOG_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(shell);
    },
  };
}
