import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from './startRoleProcess.js';

/** What `npm run build` reads (tsconfig.build.json's include, the assets, the settings). */
const BUILD_INPUTS = ['gateway', 'platform', 'subgraphs', 'contracts', 'scripts', 'bench/exportBench.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const BUILD_OUTPUT = 'dist/gateway/main.js';

async function newestInput(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : info.mtimeMs;
  const entries = await readdir(path, { withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.name !== 'node_modules').map((e) => newestInput(join(path, e.name))));
  return Math.max(0, ...times);
}

/**
 * Runs `npm run build` unless dist/ is newer than every input of the build: tests of the compiled
 * entry must run what the sources say now, and a fresh build (~15 s) is reused. Resolves with
 * whether it built.
 */
export async function ensureFreshBuild(): Promise<{ built: boolean }> {
  const output = await stat(join(repositoryRoot, BUILD_OUTPUT)).catch(() => null);
  const newest = Math.max(...(await Promise.all(BUILD_INPUTS.map((p) => newestInput(join(repositoryRoot, p))))));
  if (output && output.mtimeMs > newest) return { built: false };
  await promisify(execFile)('npm', ['run', 'build'], { cwd: repositoryRoot, maxBuffer: 16 * 1024 * 1024 });
  return { built: true };
}
