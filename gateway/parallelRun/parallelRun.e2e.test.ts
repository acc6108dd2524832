import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinanceExtractSet, JourneySimulatorOptions, OrderJourney, ParallelRunAnswerKey } from '../../subgraphs/index.js';
import { contexts, createJourneySimulator, parallelRunAnswerKey, planFinanceExtracts, writeFinanceExtracts } from '../../subgraphs/index.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import type { TestGateway } from '../../test/support/startTestGateway.js';
import { startTestGateway } from '../../test/support/startTestGateway.js';
import type { ParallelRunReport, RecognizedSaleQuery } from './index.js';
import { DIVERGENCE_CLASSES, PARALLEL_RUN_JSON, PARALLEL_RUN_MARKDOWN, runParallelRun } from './index.js';

const HOUR = 3_600_000;
const SEED = 45;
const COUNT = 120;
const START = Date.UTC(2026, 10, 1, 6);
// Journeys an hour apart with steps two hours apart, so bookings, dispatches and captures fall on
// different days; many legacy orders; the races that make divergences well above production rates.
// With this seed every class is planted at least once (asserted below).
const SIMULATION: Pick<JourneySimulatorOptions, 'rates' | 'faults' | 'orderIntervalMs' | 'stepIntervalMs' | 'startTime'> = {
  rates: { 'never-captured': 0.1, 'authorization-expired': 0.1, 'order-never-appears': 0.03, 'dispatch-after-cancel': 0.3, splitShipment: 0.5, goodwillRefund: 0.2 },
  faults: { legacyShare: 0.6 },
  orderIntervalMs: HOUR,
  stepIntervalMs: 2 * HOUR,
  startTime: START,
};
const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const businessDays = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

/** Runs the CLI as an operator would, in its own process; resolves with its exit code and output. */
async function npmRunCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: '', KAFKA_BROKERS: '', REDIS_URL: '', SIMULATOR: 'off', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Fixture {
  t: TestGateway;
  journeys: OrderJourney[];
  extracts: FinanceExtractSet;
  key: ParallelRunAnswerKey;
  directory: string;
}

/** The simulator writes the journeys' records and their legacy extracts; every context ingests the records; a gateway serves them. */
async function setUp(services: 'postgres' | 'embedded'): Promise<Fixture> {
  const journeys = createJourneySimulator({ seed: SEED, ...SIMULATION }).next(COUNT).histories;
  const extracts = planFinanceExtracts(journeys, { seed: SEED });
  const directory = await mkdtemp(join(tmpdir(), 'parallel-run-'));
  await writeFinanceExtracts(join(directory, 'extracts'), extracts);
  const t = await startTestGateway({ prefix: 'parallel', services, journeys: { count: COUNT, seed: SEED, ...SIMULATION } });
  return { t, journeys, extracts, key: parallelRunAnswerKey(journeys, extracts), directory };
}

/** The new side as a consumer reads it: finance_recognized_sale v1 over real HTTP, as an internal principal. */
const overHttp = (t: TestGateway): RecognizedSaleQuery => async (document, variables) => {
  const { status, body } = await postGraphQL(`${t.url}/contracts/finance_recognized_sale/v1`, document, { variables, headers: t.bearer('internal') });
  expect(status, JSON.stringify(body.errors)).toBe(200);
  return body;
};
const classified = (report: ParallelRunReport) => report.divergences.map(({ orderId, divergenceClass, alsoMatching }) => ({ orderId, divergenceClass, alsoMatching }));

/** The spec both databases must meet. */
function classifiesWhatWasPlanted(fixture: () => Fixture) {
  it('classifies exactly the divergences the simulator planted, and reports every planted fault with its file and line', async () => {
    const { t, extracts, key, directory } = fixture();
    // Nothing quarantined: every step of the histories was applied, so the journeys are the truth.
    for (const context of contexts) {
      const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from "${t.schemas[context.name]}".quarantine`);
      expect(rows[0]!.n, context.name).toBe(0);
    }
    const report = await runParallelRun(overHttp(t), { extractsDirectory: join(directory, 'extracts'), fromDate: extracts.fromDate, toDate: extracts.toDate });

    expect(classified(report)).toEqual(key.divergences);
    expect(report.scope).toMatchObject({ inScopeOrders: key.inScopeOrders, agreeingOrders: key.agreeingOrders, divergingOrders: key.divergences.length, outOfScopeOrders: key.outOfScopeOrders });
    expect(report.legacy.missingDates).toEqual(key.missingDates);
    expect(report.legacy.problems.map(({ kind, file, line }) => ({ kind, file, line }))).toEqual(key.problems);
    const duplicate = extracts.faults.find((f) => f.kind === 'DUPLICATE_LINE')!;
    expect(report.legacy.problems.find((p) => p.kind === 'DUPLICATE_LINE')!.duplicateOf).toBe(duplicate.duplicateOf);
    for (const c of DIVERGENCE_CLASSES) expect(report.countsByClass[c], c).toBe(key.divergences.filter((d) => d.divergenceClass === c).length);

    // The key is worth something: every class, every kind of fault, and orders out of scope and in agreement.
    expect(new Set(key.divergences.map((d) => d.divergenceClass))).toEqual(new Set(DIVERGENCE_CLASSES));
    expect(new Set(key.problems.map((p) => p.kind))).toEqual(new Set(['MISSING_FILE', 'DUPLICATE_LINE', 'MIS_ENCODED_LINE', 'MALFORMED_LINE']));
    expect(key.agreeingOrders).toBeGreaterThan(10);
    expect(key.outOfScopeOrders).toBeGreaterThan(10);
    expect(report.newSide.linesOnMissingDates).toBeGreaterThan(0);

    // One UNEXPLAINED divergence (the wrong currency): NO-GO at the default threshold of 0, GO at 1.
    expect(report.divergences.find((d) => d.divergenceClass === 'UNEXPLAINED')!.orderId).toBe(extracts.faults.find((f) => f.kind === 'WRONG_CURRENCY')!.orderId);
    expect(report).toMatchObject({ verdict: 'NO-GO', unexplained: 1, threshold: 0 });
    const lenient = await runParallelRun(overHttp(t), { extractsDirectory: join(directory, 'extracts'), fromDate: extracts.fromDate, toDate: extracts.toDate, threshold: 1 });
    expect(lenient).toMatchObject({ verdict: 'GO', unexplained: 1, threshold: 1 });
  });
}

describe('parallel run against the legacy finance extract, on PostgreSQL (and the CLI)', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await setUp('postgres');
  }, 240_000);
  afterAll(async () => {
    await fixture?.t.stop();
    if (fixture) await rm(fixture.directory, { recursive: true, force: true });
  });

  classifiesWhatWasPlanted(() => fixture);

  /** `parallel-run` against this file's schemas in PostgreSQL, in its own process. */
  const runCli = (args: string[]) => {
    const schemas = contexts.map((c) => `${c.name}=${fixture.t.schemas[c.name]}`).join(',');
    return npmRunCli(['parallel-run', '--schemas', schemas, '--access-schema', `${fixture.t.schema}_access`, ...args], { DATABASE_URL: postgresUrl() });
  };

  it('npm run cli -- parallel-run: writes both reports, prints the verdict, exits 1 on NO-GO and 0 on GO', async () => {
    const { extracts, key, directory } = fixture;
    const out = join(directory, 'report');
    const range = ['--extracts', join(directory, 'extracts'), '--from', extracts.fromDate, '--to', extracts.toDate, '--out', out];
    const noGo = await runCli(range);
    expect(noGo.stderr).toBe('');
    expect(noGo.code).toBe(1);
    expect(noGo.stdout).toContain(`Parallel run ${extracts.fromDate} to ${extracts.toDate}: NO-GO.`);
    const report = JSON.parse(await readFile(join(out, PARALLEL_RUN_JSON), 'utf8')) as ParallelRunReport;
    expect(classified(report)).toEqual(key.divergences);
    expect(report.legacy.problems.map(({ kind, file, line }) => ({ kind, file, line }))).toEqual(key.problems);
    const markdown = await readFile(join(out, PARALLEL_RUN_MARKDOWN), 'utf8');
    expect(markdown).toContain('**Verdict: NO-GO**');
    for (const c of DIVERGENCE_CLASSES) expect(markdown).toContain(`| ${c} | ${report.countsByClass[c]} |`);
    for (const p of key.problems) expect(markdown).toContain(`| ${p.file} | ${p.line ?? '—'} | ${p.kind} |`);
    // The read is audited like any contract request.
    const { rows } = await fixture.t.db.query<{ n: number }>(`select count(*)::int as n from "${fixture.t.schema}_access".audit_log where action = 'contract.query' and operation_name = 'parallel-run'`);
    expect(rows[0]!.n).toBe(1);

    const go = await runCli([...range, '--threshold', '1']);
    expect(go.code).toBe(0);
    expect(go.stdout).toContain(': GO.');
  });

  it('npm run cli -- simulate --legacy-extracts: writes the extracts, the answer key, and says how to compare', async () => {
    const into = join(fixture.directory, 'simulated');
    const simulated = await npmRunCli(['simulate', '--orders', '40', '--seed', '7', '--legacy-extracts', into], {});
    expect(simulated.stderr).toBe('');
    expect(simulated.code).toBe(0);
    const key = JSON.parse(await readFile(join(into, 'parallel-run-answer-key.json'), 'utf8')) as ParallelRunAnswerKey;
    expect(simulated.stdout).toContain(`npm run cli -- parallel-run --extracts ${into} --from ${key.fromDate} --to ${key.toDate}`);
    expect(key.missingDates).toHaveLength(1);
    const files = (await readdir(into)).filter((f) => f.startsWith('finance_extract_'));
    expect(files.length).toBe(businessDays(key.fromDate, key.toDate) - 1);
    for (const p of key.problems) expect(simulated.stdout).toContain(`${p.kind} ${p.file}${p.line === null ? '' : `:${p.line}`}`);
  });

  it('exits 2 with the option and the fix when it cannot reach a verdict', async () => {
    const { extracts, directory } = fixture;
    const missingDirectory = await runCli(['--extracts', join(directory, 'nowhere'), '--from', extracts.fromDate, '--to', extracts.toDate]);
    expect(missingDirectory.code).toBe(2);
    expect(missingDirectory.stderr).toContain('EXTRACTS_DIRECTORY_MISSING: --extracts');
    const badDates = await runCli(['--extracts', join(directory, 'extracts'), '--from', '01.11.2026', '--to', '2026-02-30']);
    expect(badDates.code).toBe(2);
    expect(badDates.stderr).toContain('RANGE_INVALID: --from must be a UTC business date written YYYY-MM-DD, e.g. 2026-11-02; received "01.11.2026".');
    expect(badDates.stderr).toContain('--to must be a UTC business date written YYYY-MM-DD, e.g. 2026-11-02; received "2026-02-30".');
    const noExtracts = await runCli(['--extracts', join(directory, 'extracts'), '--from', '2027-01-01', '--to', '2027-01-05']);
    expect(noExtracts.code).toBe(2);
    expect(noExtracts.stderr).toContain(`NO_EXTRACTS_IN_RANGE: --extracts ${JSON.stringify(join(directory, 'extracts'))} has no extract for any day from 2027-01-01 to 2027-01-05 (it holds ${fixture.extracts.files.length} extract(s), for ${extracts.fromDate} to ${extracts.toDate}).`);
    const missingOptions = await runCli(['--from', extracts.fromDate]);
    expect(missingOptions.code).toBe(2);
    expect(missingOptions.stderr).toContain('parallel-run needs --extracts, --to');
    const schemaOfNobody = await runCli(['--extracts', join(directory, 'extracts'), '--from', extracts.fromDate, '--to', extracts.toDate, '--schemas', `nobody=${uniqueName('x')}`]);
    expect(schemaOfNobody.code).toBe(2);
    expect(schemaOfNobody.stderr).toContain('--schemas names no context "nobody"');
  });
});

describe('parallel run against the legacy finance extract, on PGlite', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await setUp('embedded');
  }, 240_000);
  afterAll(async () => {
    await fixture?.t.stop();
    if (fixture) await rm(fixture.directory, { recursive: true, force: true });
  });

  classifiesWhatWasPlanted(() => fixture);
});
