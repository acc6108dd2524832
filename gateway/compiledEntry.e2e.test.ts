import { readdir, readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contexts } from '../subgraphs/index.js';
import { ensureFreshBuild } from '../test/support/ensureFreshBuild.js';
import type { RoleProcess } from '../test/support/startRoleProcess.js';
import { repositoryRoot, startRoleProcess } from '../test/support/startRoleProcess.js';

// `npm run build && node dist/gateway/main.js` is what `npm start` and the image run (the
// Dockerfile's CMD). The compiled entry must start with production dependencies only, find its
// assets (contract and subgraph SDL) beside its modules, and serve what the sources declare.

const ENTRY = 'dist/gateway/main.js';
const packageJson = JSON.parse(await readFile(join(repositoryRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Contract versions in the sources (`contracts/<name>/v<N>.graphql`), as served paths. */
async function sourceContractPaths(): Promise<string[]> {
  const folders = (await readdir(join(repositoryRoot, 'contracts'), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'published' && d.name !== 'generated');
  const paths = await Promise.all(folders.map(async (f) => (await readdir(join(repositoryRoot, 'contracts', f.name))).filter((n) => /^v\d+\.graphql$/.test(n)).map((n) => `/contracts/${f.name}/${n.replace('.graphql', '')}`)));
  return paths.flat().sort();
}

/**
 * Dev dependencies a compiled module may import dynamically, only on a path a build never takes,
 * with the one module allowed to: esbuild bundles the catalog web app when the gateway runs from
 * source; `npm run build` writes the bundle, and the built gateway serves it without esbuild.
 */
const FROM_SOURCE_ONLY = new Map([['esbuild', 'dist/gateway/catalog/bundleCatalogApp.js']]);
const from = (packages: ReadonlyMap<string, string>, name: string) => packages.get(name);

/** Bare module specifiers reachable from `roots` through the compiled modules' imports (static, and dynamic with a literal). */
async function reachablePackages(roots: string[]): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*\(?\s*['"]([^'"]+)['"]/gm)) {
      const specifier = match[1] ?? match[2];
      if (!specifier) continue;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!isBuiltin(specifier)) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, relative(repositoryRoot, file));
      }
    }
  }
  return packages;
}

describe('the compiled entry (npm run build && node dist/gateway/main.js)', () => {
  let gateway: RoleProcess;
  beforeAll(async () => {
    await ensureFreshBuild();
    gateway = await startRoleProcess('dist', { NODE_ENV: 'production' });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  it('needs only production dependencies at run time', async () => {
    // Contract modules (`v<N>.js`) are imported by path at start, so they are roots too.
    const contractModules = (await readdir(join(repositoryRoot, 'dist/contracts'), { recursive: true })).filter((p) => /(^|\/)v\d+\.js$/.test(p)).map((p) => join(repositoryRoot, 'dist/contracts', p));
    expect(contractModules.length).toBeGreaterThan(0);
    const packages = await reachablePackages([join(repositoryRoot, ENTRY), join(repositoryRoot, 'dist/gateway/cli.js'), ...contractModules]);
    const notProduction = [...packages].filter(([name]) => !(name in packageJson.dependencies) && FROM_SOURCE_ONLY.get(name) !== from(packages, name)).map(([name, importer]) => `${name} (imported by ${importer})`);
    expect(notProduction).toEqual([]);
    // The build ships what the one exception makes from source.
    expect((await readdir(join(repositoryRoot, 'dist/gateway/catalog/app-bundle'))).sort()).toEqual(expect.arrayContaining(['app.css', 'app.js']));
    // The graph was walked: the entry reaches the server and the drivers.
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['@apollo/server', 'graphql', 'pg', 'kafkajs', 'ioredis']));
  });

  it('serves every contract version and subgraph of the sources, with their SDL assets', async () => {
    const endpoints = [...gateway.stdout().matchAll(/^ {2}http:\/\/\S+?(\/\S*)$/gm)].map((m) => m[1]!);
    const contractPaths = await sourceContractPaths();
    expect(contractPaths.length).toBeGreaterThan(0);
    expect(endpoints).toEqual(expect.arrayContaining([...contractPaths, ...contexts.flatMap((c) => c.subgraphs.map((s) => `/subgraphs/${s.id}`)), '/catalog', '/metrics', '/exports']));
    for (const path of contractPaths) {
      const sdl = await fetch(`${gateway.url}${path}/schema.graphql`, { headers: { authorization: `Bearer ${demoKey('internal')}` } });
      expect(sdl.status, path).toBe(200);
      expect(await sdl.text(), path).toMatch(/type Query/);
    }
  });

  it('answers /health, a contract query, the catalog and /metrics as the README says', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const post = (path: string, key: string, query: string) => fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const contract = await post('/contracts/customer_order_timeline/v2', demoKey('internal'), '{ recentCustomerOrders(first: 3) { orderId orderLifecycleState } }');
    expect(contract.status).toBe(200);
    const body = (await contract.json()) as { data: { recentCustomerOrders: unknown[] }; errors?: unknown; extensions?: { freshness?: unknown[] } };
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data.recentCustomerOrders)).toBe(true);
    expect(body.extensions?.freshness?.length).toBeGreaterThan(0);

    const catalog = await post('/catalog', demoKey('internal'), '{ contracts { name version } }');
    expect(catalog.status).toBe(200);
    const listed = ((await catalog.json()) as { data: { contracts: Array<{ name: string; version: number }> } }).data.contracts.map((c) => `/contracts/${c.name}/v${c.version}`).sort();
    expect(listed).toEqual(await sourceContractPaths());

    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${demoKey('operator')}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^dpg_http_requests_total\{/m);
  });

  it('refuses a split role on the embedded defaults at start, saying why and the fix', async () => {
    await expect(startRoleProcess('dist', { ROLE: 'projector' }, 30_000)).rejects.toThrow(/exited with 1[\s\S]*CONFIG_INVALID: Invalid configuration:\n {2}- ROLE=projector needs KAFKA_BROKERS and DATABASE_URL: [^\n]*Fix: /);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await gateway.stop()).toBe(0);
  });

  /** A demo key from the start banner (embedded defaults print three, new at every start). */
  function demoKey(who: 'internal' | 'partner' | 'operator'): string {
    const match = new RegExp(`^ {2}${who} +(dpg_\\S+)`, 'm').exec(gateway.stdout());
    if (!match) throw new Error(`no ${who} demo key in the banner:\n${gateway.stdout()}`);
    return match[1]!;
  }
});
