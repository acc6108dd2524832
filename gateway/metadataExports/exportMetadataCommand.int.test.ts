import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OpenLineageDatasetEvent } from './buildOpenLineageEvents.js';
import { createSpecValidators } from './createSpecValidators.js';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const run = promisify(execFile);

async function npmRunCli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', KAFKA_BROKERS: '' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run cli -- export-metadata', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'export-metadata-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes the SDL, ODCS and OpenLineage documents of every version, as each audience is served them', async () => {
    const specs = createSpecValidators();
    const internal = await npmRunCli(['export-metadata', '--out', join(out, 'internal')]);
    expect(internal.stderr).toBe('');
    expect(internal.code).toBe(0);
    expect(internal.stdout).toMatch(/^Wrote \d+ files for \d+ contract version\(s\), as INTERNAL principals see them/);
    const contracts = await readdir(join(out, 'internal'));
    expect(contracts).toEqual(expect.arrayContaining(['customer_order_timeline', 'order_journey', 'partner_order_status']));
    for (const contract of contracts) {
      for (const version of await readdir(join(out, 'internal', contract))) {
        const folder = join(out, 'internal', contract, version);
        expect(await readdir(folder)).toEqual(['odcs.yaml', 'openlineage.json', 'schema.graphql']);
        expect(specs.odcs(parse(await readFile(join(folder, 'odcs.yaml'), 'utf8'))), folder).toEqual([]);
        for (const event of JSON.parse(await readFile(join(folder, 'openlineage.json'), 'utf8')) as OpenLineageDatasetEvent[]) expect(specs.openLineageEvent(event), folder).toEqual([]);
        buildSchema(await readFile(join(folder, 'schema.graphql'), 'utf8'));
      }
    }

    const partner = await npmRunCli(['export-metadata', '--out', join(out, 'partner'), '--audience', 'partner']);
    expect(partner.code).toBe(0);
    expect(await readdir(join(out, 'partner'))).toEqual(['partner_order_status']);
    const odcs = await readFile(join(out, 'partner', 'partner_order_status', 'v1', 'odcs.yaml'), 'utf8');
    expect(odcs).not.toContain('shippingCity');
    expect(odcs).toContain('customerEmailMasked');

    const missing = await npmRunCli(['export-metadata']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('export-metadata needs --out DIR');
  });
});
