import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Config } from '../platform/config/index.js';
import { loadConfig } from '../platform/config/index.js';
import type { Database } from '../platform/database/index.js';
import { createPinoLogger } from '../platform/logging/index.js';
import { isMissingRelation, openDatabase } from '../platform/database/index.js';
import { isPlatformError } from '../platform/errors/index.js';
import { createProjector, listQuarantine, readWatermarks, rebuildProjection, redriveQuarantine } from '../platform/projection/index.js';
import type { ContextModule } from '../platform/context/index.js';
import { contexts as registeredContexts, createJourneySimulator, parallelRunAnswerKey, planFinanceExtracts, writeFinanceExtracts } from '../subgraphs/index.js';
import type { Principal, PrincipalStore, StoredPrincipal } from './access/index.js';
import { createPrincipalStore, isPrincipalStoreError, PrincipalStoreErrorCode } from './access/index.js';
import { createAuditLog } from './audit/index.js';
import { withSelfContainedSdl } from './catalog/index.js';
import { ContractLoadError, loadContracts } from './contracts/index.js';
import { formatCheckReport, isCheckConfigError, openUsageReaders, publishContracts, runContractCheck } from './governance/index.js';
import { CONTRACT_DOCUMENTS, writeMetadataExports } from './metadataExports/index.js';
import { openServices, projectorOptionsFrom } from './openServices.js';
import { isParallelRunError, openRecognizedSaleQuery, PARALLEL_RUN_JSON, PARALLEL_RUN_MARKDOWN, RECOGNIZED_SALE_CONTRACT, runParallelRun, writeParallelRunReport } from './parallelRun/index.js';

const USAGE = `Data Product Gateway operations CLI

Usage: npm run cli -- <command> [options]

Commands:
  run                                   run the projectors until Ctrl-C
  watermarks                            per projection and partition: offset, lag, event time, counts
  quarantine list [--state open|redriven] [--reason CODE] [--limit N] [--original]
                                        payloads redacted; --original shows stored bytes (audited)
  quarantine redrive <id...> | --all    re-apply quarantined input after a fix
  rebuild <projection> [--accept-differences]
                                        rebuild from the log into shadow tables, report parity, swap
  simulate --orders N [--seed S] [--legacy-extracts DIR]
                                        produce N simulated order journeys (orders, payments,
                                        shipments) into the event log; with --legacy-extracts,
                                        journeys an hour apart (steps two hours apart, ending
                                        before now) and the legacy finance extracts a faithful
                                        legacy would write for them, with its own faults planted
                                        (a missing day, a duplicated, a mis-encoded and a
                                        malformed line, a wrong currency), plus
                                        parallel-run-answer-key.json: what parallel-run must find
  parallel-run --extracts DIR --from YYYY-MM-DD --to YYYY-MM-DD [--threshold N] [--out DIR]
               [--legacy-source S] [--schemas context=schema,...]
                                        compare the legacy finance extracts with
                                        finance_recognized_sale v1 per order and business date,
                                        classify every divergence, write parallel-run.md and
                                        parallel-run.json into --out (default .). Exit 0 GO,
                                        1 NO-GO (more UNEXPLAINED divergences than --threshold,
                                        default 0), 2 no verdict (setup error)
  principals create --name N --audience INTERNAL|PARTNER --contracts 'a/v1,b/v2'|'*'
                    [--rights operate,export,steward] [--scope dim=v1[|v2][,dim2=v]]
                                        create a principal; prints its API key once
  principals list                       principals and their keys (prefixes only, never secrets)
  principals rotate <id|name> [--grace SECONDS]
                                        a new key; old keys stop now, or after the grace
  principals revoke <id|name>           revoke the principal, all its keys and sessions
  principals revoke-key <dpg_prefix>    revoke one key
  check [--format text|json] [--report FILE] [--today YYYY-MM-DD]
                                        compare every contract with its published snapshot
                                        (contracts/published/): breaking changes, deprecated
                                        fields removed before their sunset or while used, new
                                        fields without lineage or classification, PII without a
                                        PARTNER redaction. Exit 0 pass, 1 findings, 2 setup error
  publish                               snapshot the ACTIVE and DEPRECATED versions into
                                        contracts/published/ (refused while check finds more
                                        than unpublished changes); commit them with the change
  export-metadata --out DIR [--audience INTERNAL|PARTNER]
                                        write <contract>/v<N>/{schema.graphql,odcs.yaml,
                                        openlineage.json} as the gateway serves them

Options:
  --context NAME                        only this bounded context (default: every context; needed
                                        by quarantine redrive when there are several)
  --schema NAME                         Postgres schema of that context (default: its name; needs --context)
  --access-schema NAME                  Postgres schema of principals and keys, and of the audit
                                        log check reads usage from and parallel-run writes to
                                        (default: gateway)
  --schemas context=schema,...          parallel-run: Postgres schema per context (default: each
                                        context's name)
  --legacy-source S                     parallel-run: the sourceSystem of orders entered through
                                        the legacy OMS (default: legacy-oms)
  --contracts-dir DIR                   contracts to check, publish or export (default: contracts/)
  --published-dir DIR                   published snapshots (default: <contracts-dir>/published)

check reads who used a deprecated field in the last 30 days from the audit log (DATABASE_URL)
and the gateways' usage counters (REDIS_URL). Without either (as in CI) it says that usage could
not be verified, and refuses a removal only before the field's sunset date.

Every command reads the same environment as \`npm start\` (DATABASE_URL, KAFKA_BROKERS, ...).
Inspection and principals commands need DATABASE_URL: the embedded PGlite lives inside the server process.
`;


async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parsedOrUsage(() => parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean' },
      original: { type: 'boolean' },
      'accept-differences': { type: 'boolean' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      schema: { type: 'string' },
      context: { type: 'string' },
      'access-schema': { type: 'string' },
      name: { type: 'string' },
      audience: { type: 'string' },
      contracts: { type: 'string' },
      rights: { type: 'string' },
      scope: { type: 'string' },
      grace: { type: 'string' },
      format: { type: 'string' },
      report: { type: 'string' },
      today: { type: 'string' },
      out: { type: 'string' },
      'legacy-extracts': { type: 'string' },
      extracts: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      threshold: { type: 'string' },
      'legacy-source': { type: 'string' },
      schemas: { type: 'string' },
      'contracts-dir': { type: 'string' },
      'published-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
  const [command, sub, ...rest] = positionals;
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'check' || command === 'publish' || command === 'export-metadata') return contractsCommand(command, values);
  if (command === 'parallel-run') return parallelRunCommand(values);
  const config = loadConfig();
  const needsSharedDatabase = ['watermarks', 'quarantine', 'rebuild', 'principals'].includes(command);
  if (needsSharedDatabase && config.database.kind === 'pglite') {
    process.stderr.write(`\`${command}\` needs DATABASE_URL: without it the CLI would open its own empty in-memory PGlite, not the server's.\nFix: DATABASE_URL=postgres://... npm run cli -- ${command}; with embedded defaults use the running server's /admin endpoints.\n`);
    return 2;
  }
  if (command === 'rebuild' && config.eventLog.kind === 'embedded') {
    process.stderr.write('`rebuild` replays the event log, and the embedded log lives inside the server process.\nFix: KAFKA_BROKERS=host:9092 DATABASE_URL=postgres://... npm run cli -- rebuild <projection>\n');
    return 2;
  }
  if (command === 'principals') {
    // Principals live in the database only: no event log or cache to open.
    const db = await openDatabase(config.database);
    try {
      return await principalsCommand(createPrincipalStore(db, { schema: values['access-schema'] ?? 'gateway' }), sub, rest, values);
    } finally {
      await db.close();
    }
  }
  const selected = selectContexts(values.context, values.schema);
  const services = await openServices(config);
  /** Rows of every selected context, each tagged with its context. */
  // A context whose projector never ran against this database has no tables yet: no rows, not an error.
  const eachContext = async <T extends object>(read: (entry: SelectedContext) => Promise<T[]>) =>
    (await Promise.all(selected.map(async (entry) => (await read(entry).catch((error: unknown) => (isMissingRelation(error) ? [] : Promise.reject(error)))).map((row) => ({ context: entry.context.name, ...row }))))).flat();
  try {
    switch (command) {
      case 'run': {
        // A long-running process like `npm start`: its log at LOG_LEVEL, on stderr (stdout is the command's answer).
        const logger = createPinoLogger({ level: config.log.level, destination: 'stderr' });
        const projectors = selected.map(({ context, schema }) => createProjector(services, context.ingestion, { ...projectorOptionsFrom(config), schema, logger }));
        for (const p of projectors) await p.start();
        process.stdout.write(`projectors running (${selected.map((c) => c.context.name).join(', ')}); Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
        await Promise.all(projectors.map((p) => p.stop()));
        return 0;
      }
      case 'watermarks':
        printTable(await eachContext(({ schema }) => readWatermarks(services.db, schema, { log: services.log })));
        return 0;
      case 'quarantine':
        if (sub === 'list') {
          const state = values.state;
          if (state !== undefined && state !== 'open' && state !== 'redriven') throw usage(`--state must be open or redriven, not ${state}`);
          if (values.original) {
            // The stored bytes may hold personal data: showing them is an audited act.
            const audit = createAuditLog(services.db, { schema: values['access-schema'] ?? 'gateway' });
            await audit.migrate();
            audit.record({ action: 'quarantine.original', principalId: `cli:${userInfo().username}`, principalName: userInfo().username, audience: null, outcome: 'ok', correlationId: randomUUID(), detail: `cli quarantine list --original, schemas ${selected.map((c) => c.schema).join(',')}` });
            await audit.close();
          }
          const listed = await eachContext(({ context, schema }) => listQuarantine(services.db, schema, { state, reasonCode: values.reason, limit: values.limit ? Number(values.limit) : 100, context: context.ingestion, payload: values.original ? 'original' : 'redacted' }));
          printTable(listed.map((q) => ({ ...q, value: q.value?.slice(0, 60) ?? null })));
          return 0;
        }
        if (sub === 'redrive') {
          // Quarantine ids are numbered per context: an id alone does not say whose entry it is.
          if (selected.length !== 1) throw usage(`quarantine redrive needs --context (one of ${registeredContexts.map((c) => c.name).join(', ')}): quarantine ids are numbered per context`);
          const [{ context, schema }] = selected as [SelectedContext];
          const ids = values.all ? (await listQuarantine(services.db, schema, { state: 'open', limit: 100_000 })).map((q) => q.quarantineId) : rest.map(Number);
          if (ids.length === 0 || ids.some((id) => !Number.isInteger(id))) throw usage('quarantine redrive takes quarantine ids (integers) or --all');
          printTable(await redriveQuarantine(services.db, context.ingestion, schema, ids));
          return 0;
        }
        throw usage(`unknown quarantine subcommand ${JSON.stringify(sub)}`);
      case 'rebuild': {
        const projections = selected.flatMap(({ context }) => context.ingestion.projections.map((p) => p.name));
        if (!sub) throw usage(`rebuild needs a projection name: ${projections.join(', ')}`);
        const owner = selected.find(({ context }) => context.ingestion.projections.some((p) => p.name === sub));
        if (!owner) throw usage(`no projection ${JSON.stringify(sub)}; projections: ${projections.join(', ')}`);
        // The report on stdout is the answer; its progress (start, replay, parity, swap) goes to
        // stderr when LOG_LEVEL asks for it, else only warnings and errors do.
        const logger = process.env.LOG_LEVEL ? createPinoLogger({ level: config.log.level, destination: 'stderr' }) : undefined;
        const report = await rebuildProjection(services, owner.context.ingestion, sub, { schema: owner.schema, gapBound: config.projection.gapBound, acceptDifferences: values['accept-differences'] === true, logger });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.swapped ? 0 : 1;
      }
      case 'simulate': {
        const orders = Number(values.orders ?? '100');
        if (!Number.isInteger(orders) || orders < 1) throw usage('--orders must be a positive integer');
        const seed = Number(values.seed ?? config.simulator.seed);
        const extractsDirectory = values['legacy-extracts'];
        // Legacy extracts need bookings spread over several business days (a missing day means
        // something only then): journeys an hour apart, steps two hours apart, all before now.
        const pacing = extractsDirectory === undefined ? { startTime: Date.now() } : { startTime: Date.now() - (orders + 72) * HOUR_MS, orderIntervalMs: HOUR_MS, stepIntervalMs: 2 * HOUR_MS };
        const { records, histories } = createJourneySimulator({ seed, ...pacing }).next(orders);
        for (const record of records) await services.log.produce(record.topic, [{ key: record.key, value: record.value }]);
        const topics = [...new Set(records.map((r) => r.topic))].sort();
        process.stdout.write(`produced ${records.length} records for ${orders} order journeys (${topics.join(', ')})\n`);
        if (extractsDirectory !== undefined) {
          const extracts = planFinanceExtracts(histories, { seed });
          const written = await writeFinanceExtracts(extractsDirectory, extracts);
          const key = join(extractsDirectory, 'parallel-run-answer-key.json');
          await writeFile(key, `${JSON.stringify(parallelRunAnswerKey(histories, extracts), null, 2)}\n`);
          process.stdout.write(
            `wrote ${written.length} legacy finance extract(s) for ${extracts.fromDate} to ${extracts.toDate} into ${extractsDirectory}, with ${extracts.faults.length} planted fault(s): ${extracts.faults.map((f) => `${f.kind} ${f.file}${f.line === null ? '' : `:${f.line}`}`).join(', ')}\n` +
              `answer key: ${key}\nonce the projectors have applied the records: npm run cli -- parallel-run --extracts ${extractsDirectory} --from ${extracts.fromDate} --to ${extracts.toDate}\n`,
          );
        }
        return 0;
      }
      default:
        throw usage(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    await services.close();
  }
}

interface ContractsOptions {
  format?: string;
  report?: string;
  today?: string;
  out?: string;
  audience?: string;
  'access-schema'?: string;
  'contracts-dir'?: string;
  'published-dir'?: string;
}

/**
 * `check`, `publish` and `export-metadata` read files and compile contracts; no event log. `check`
 * (and `publish`, which runs it) opens the database and cache only to read usage. A setup problem
 * (configuration, an unreadable snapshot) exits 2, findings exit 1, so CI can tell them apart.
 */
async function contractsCommand(command: 'check' | 'publish' | 'export-metadata', values: ContractsOptions): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!isPlatformError(error)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 2;
  }
  const contractsDirectory = resolve(values['contracts-dir'] ?? fileURLToPath(new URL('../contracts', import.meta.url)));
  const publishedDirectory = resolve(values['published-dir'] ?? join(contractsDirectory, 'published'));
  const subgraphs = registeredContexts.flatMap((c) => c.subgraphs);

  if (command === 'export-metadata') {
    if (!values.out) throw usage('export-metadata needs --out DIR, the folder to write <contract>/v<N>/schema.graphql, odcs.yaml and openlineage.json into');
    const audience = (values.audience ?? 'INTERNAL').toUpperCase();
    if (audience !== 'INTERNAL' && audience !== 'PARTNER') throw usage(`--audience must be INTERNAL or PARTNER, not ${JSON.stringify(values.audience)}`);
    let contracts;
    try {
      contracts = (await loadContracts(contractsDirectory, subgraphs)).map(withSelfContainedSdl);
    } catch (error) {
      if (!(error instanceof ContractLoadError)) throw error;
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return 1;
    }
    const written = await writeMetadataExports(contracts, resolve(values.out), audience);
    process.stdout.write(`Wrote ${written.length} files for ${written.length / CONTRACT_DOCUMENTS.length} contract version(s), as ${audience} principals see them, into ${values.out}:\n${written.map((w) => `  ${relative(process.cwd(), w)}`).join('\n')}\n`);
    return 0;
  }

  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw usage(`--format must be text or json, not ${JSON.stringify(format)}`);
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) throw usage(`--today must be a date written YYYY-MM-DD, not ${JSON.stringify(today)}`);
  const usageSources = await openUsageReaders(config, { auditSchema: values['access-schema'] ?? 'gateway' });
  try {
    const options = { contractsDirectory, publishedDirectory, subgraphs, usage: usageSources, today };
    if (command === 'publish') {
      const published = await publishContracts(options);
      if (published.refused) {
        process.stdout.write(formatCheckReport(published.report));
        process.stderr.write('Nothing was published: publishing makes a change the reference for the next check, so the findings above must be fixed first.\n');
        return 1;
      }
      process.stdout.write(published.written.length ? `Published ${published.written.length} snapshot(s); commit them with the change:\n${published.written.map((w) => `  ${w}`).join('\n')}\n` : 'Every ACTIVE and DEPRECATED version is published as it is: nothing to write.\n');
      return 0;
    }
    const report = await runContractCheck(options);
    if (values.report) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report));
    return report.passed ? 0 : 1;
  } catch (error) {
    if (!isCheckConfigError(error)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 2;
  } finally {
    await usageSources.close();
  }
}

const HOUR_MS = 3_600_000;

interface ParallelRunValues {
  extracts?: string;
  from?: string;
  to?: string;
  threshold?: string;
  out?: string;
  schemas?: string;
  'legacy-source'?: string;
  'access-schema'?: string;
}

/**
 * `parallel-run`: the legacy finance extracts against finance_recognized_sale v1, executed
 * in-process against DATABASE_URL as the gateway serves it to an internal principal (the CLI's
 * operator; the read is recorded in the audit log like any contract request). Exit 0 GO, 1 NO-GO,
 * 2 when no verdict could be reached (a setup problem: the message names the option and the fix).
 */
async function parallelRunCommand(values: ParallelRunValues): Promise<number> {
  const setupError = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const missing = (['extracts', 'from', 'to'] as const).filter((option) => values[option] === undefined);
  if (missing.length > 0) return setupError(`parallel-run needs ${missing.map((o) => `--${o}`).join(', ')}: e.g. npm run cli -- parallel-run --extracts ./extracts --from 2026-11-01 --to 2026-11-30`);
  if (values.threshold !== undefined && !/^\d+$/.test(values.threshold)) return setupError(`THRESHOLD_INVALID: --threshold is the most unexplained divergences a GO allows, a whole number >= 0; received ${JSON.stringify(values.threshold)}.`);
  let config: Config;
  let projectionSchemas: Record<string, string>;
  try {
    config = loadConfig();
    projectionSchemas = parseSchemas(values.schemas);
  } catch (error) {
    if (error instanceof UsageError) return setupError(error.message);
    if (!isPlatformError(error)) throw error;
    return setupError(`${error.code}: ${error.message}`);
  }
  if (config.database.kind === 'pglite') return setupError('`parallel-run` reads the new side from the projections in DATABASE_URL; without it the CLI would open its own empty in-memory PGlite.\nFix: DATABASE_URL=postgres://... npm run cli -- parallel-run ...');
  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (error) {
    if (!isPlatformError(error)) throw error;
    return setupError(`${error.code}: ${error.message}`);
  }
  try {
    const user = userInfo().username;
    const contract = `${RECOGNIZED_SALE_CONTRACT.name}/v${RECOGNIZED_SALE_CONTRACT.version}`;
    const principal: Principal = { id: `cli:${user}`, name: user, audience: 'INTERNAL', contracts: [contract], rights: [], rowScope: null, credential: { kind: 'localOperator', user } };
    const query = await openRecognizedSaleQuery(db, { contexts: registeredContexts, projectionSchemas, principal });
    const report = await runParallelRun(query, { extractsDirectory: resolve(values.extracts!), fromDate: values.from!, toDate: values.to!, threshold: Number(values.threshold ?? '0'), legacySourceSystem: values['legacy-source'] });
    const audit = createAuditLog(db, { schema: values['access-schema'] ?? 'gateway' });
    await audit.migrate();
    audit.record({ action: 'contract.query', principalId: principal.id, principalName: principal.name, audience: principal.audience, contract, operationName: 'parallel-run', rowsReturned: report.newSide.ordersRead, outcome: 'ok', correlationId: randomUUID(), detail: `cli parallel-run ${report.fromDate}..${report.toDate}` });
    await audit.close();
    const out = resolve(values.out ?? '.');
    await writeParallelRunReport(out, report);
    const counts = Object.entries(report.countsByClass).map(([c, n]) => `${c} ${n}`).join(', ');
    const problems = Object.entries(report.legacy.problemCounts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    process.stdout.write(
      `Parallel run ${report.fromDate} to ${report.toDate}: ${report.verdict}. ${report.verdictReason}\n` +
        `  in scope: ${report.scope.inScopeOrders} order(s), ${report.scope.agreeingOrders} agree, ${report.scope.divergingOrders} diverge; out of scope: ${report.scope.outOfScopeOrders}\n` +
        `  divergences: ${counts}\n` +
        `  legacy files: ${report.legacy.filesRead} read, ${report.legacy.missingDates.length} missing; problems: ${problems}\n` +
        `  reports: ${join(out, PARALLEL_RUN_MARKDOWN)}, ${join(out, PARALLEL_RUN_JSON)}\n`,
    );
    return report.verdict === 'GO' ? 0 : 1;
  } catch (error) {
    if (isParallelRunError(error) || isPlatformError(error) || error instanceof ContractLoadError) return setupError(`${error.code}: ${error.message}`);
    // Anything else still means no verdict: never exit 1, which says NO-GO.
    return setupError(`parallel-run could not finish: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await db.close();
  }
}

/** `--schemas orders=a,payments=b`: a Postgres schema per registered context; the others keep their name. */
function parseSchemas(raw: string | undefined): Record<string, string> {
  const schemas: Record<string, string> = {};
  const names = registeredContexts.map((c) => c.name);
  for (const part of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [context, schema, ...extra] = part.split('=').map((p) => p.trim());
    if (!context || !schema || extra.length > 0) throw usage(`--schemas takes context=schema pairs separated by commas (contexts: ${names.join(', ')}); ${JSON.stringify(part)} is not one`);
    if (!names.includes(context)) throw usage(`--schemas names no context ${JSON.stringify(context)}; contexts: ${names.join(', ')}`);
    schemas[context] = schema;
  }
  return schemas;
}

interface SelectedContext {
  context: ContextModule;
  schema: string;
}

/** The contexts a command works on: all of them, or the one `--context` names (at its `--schema`). */
function selectContexts(only: string | undefined, schema: string | undefined): SelectedContext[] {
  if (only === undefined) {
    if (schema !== undefined) throw usage(`--schema names one context's schema; say which with --context (${registeredContexts.map((c) => c.name).join(', ')})`);
    return registeredContexts.map((context) => ({ context, schema: context.name }));
  }
  const context = registeredContexts.find((c) => c.name === only);
  if (!context) throw usage(`no context ${JSON.stringify(only)}; contexts: ${registeredContexts.map((c) => c.name).join(', ')}`);
  return [{ context, schema: schema ?? context.name }];
}

interface PrincipalOptions {
  name?: string;
  audience?: string;
  contracts?: string;
  rights?: string;
  scope?: string;
  grace?: string;
}

async function principalsCommand(store: PrincipalStore, sub: string | undefined, rest: string[], values: PrincipalOptions): Promise<number> {
  await store.migrate();
  const list = (raw: string) => raw.split(',').map((item) => item.trim()).filter(Boolean);
  switch (sub ?? '') {
    case 'create': {
      const { name, audience, contracts } = values;
      if (!name || !audience || contracts === undefined) throw usage('principals create needs --name, --audience INTERNAL|PARTNER and --contracts (e.g. partner_order_status/v1, or * for every contract)');
      const { principal, apiKey } = await store.create({ name, audience: audience.toUpperCase(), contracts: list(contracts), rights: list(values.rights ?? ''), rowScope: values.scope === undefined ? null : parseScope(values.scope) });
      const stored = await store.get(principal.id);
      if (stored) printPrincipal(stored);
      printKeyOnce(apiKey);
      return 0;
    }
    case 'list': {
      const principals = await store.list();
      printTable(principals.flatMap((p) => (p.keys.length === 0 ? [undefined] : p.keys).map((key) => ({
        id: p.id,
        name: p.name,
        audience: p.audience,
        contracts: p.contracts.join(','),
        rights: p.rights.join(','),
        scope: formatScope(p.rowScope),
        principalRevoked: p.revokedAt?.toISOString() ?? '',
        key: key?.prefix ?? '(none)',
        keyCreated: key?.createdAt.toISOString() ?? '',
        lastUsed: key?.lastUsedAt?.toISOString() ?? 'never',
        keyRevoked: key?.revokedAt?.toISOString() ?? '',
      }))));
      return 0;
    }
    case 'rotate': {
      const target = rest[0];
      if (!target) throw usage('principals rotate needs the id or name of a principal');
      const grace = Number(values.grace ?? '0');
      if (!Number.isInteger(grace) || grace < 0) throw usage(`--grace must be a whole number of seconds >= 0, not ${JSON.stringify(values.grace)}`);
      const rotated = await store.rotate(target, { graceSeconds: grace });
      process.stdout.write(`Rotated the key of ${rotated.principal.id} "${rotated.principal.name}". Previous keys stop working ${grace === 0 ? 'now' : `at ${rotated.previousKeysRevokedAt.toISOString()} (${grace} s grace)`}.\n`);
      printKeyOnce(rotated.apiKey);
      return 0;
    }
    case 'revoke': {
      const target = rest[0];
      if (!target) throw usage('principals revoke needs the id or name of a principal');
      const revoked = await store.revoke(target);
      process.stdout.write(`Revoked ${revoked.id} "${revoked.name}" with its ${revoked.keys.length} key(s) and its sessions. Running gateways stop accepting them within a few seconds (their authentication cache).\n`);
      return 0;
    }
    case 'revoke-key': {
      const prefix = rest[0];
      if (!prefix) throw usage('principals revoke-key needs a key prefix, e.g. dpg_abcd2345 (see principals list)');
      const key = await store.revokeKey(prefix);
      process.stdout.write(`Revoked key ${key.prefix}.\n`);
      return 0;
    }
    default:
      throw usage(sub ? `unknown principals subcommand ${JSON.stringify(sub)}` : 'principals needs a subcommand: create, list, rotate, revoke or revoke-key');
  }
}

/** `salesChannel=MARKETPLACE,region=EU|UK` → `{ salesChannel: ['MARKETPLACE'], region: ['EU', 'UK'] }`. */
function parseScope(raw: string): Record<string, string[]> {
  const scope: Record<string, string[]> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw usage(`--scope takes dimension=value[|value][,dimension=value...], e.g. salesChannel=MARKETPLACE; ${JSON.stringify(part)} has no dimension=`);
    const dimension = part.slice(0, eq).trim();
    scope[dimension] = [...(scope[dimension] ?? []), ...part.slice(eq + 1).split('|').map((v) => v.trim())];
  }
  return scope;
}

function formatScope(scope: StoredPrincipal['rowScope']): string {
  return scope ? Object.entries(scope).map(([dimension, values]) => `${dimension}=${values.join('|')}`).join(',') : '(unscoped)';
}

function printPrincipal(p: StoredPrincipal): void {
  process.stdout.write(`Created principal ${p.id} "${p.name}" (${p.audience})
  contracts: ${p.contracts.join(', ') || '(none)'}
  rights:    ${p.rights.join(', ') || '(none)'}
  row scope: ${formatScope(p.rowScope)}
  key:       ${p.keys.map((k) => k.prefix).join(', ')}
`);
}

function printKeyOnce(apiKey: string): void {
  process.stdout.write(`\nAPI key (shown once: it is stored only as a hash and will not be shown again; keep it in a secret store now):\n${apiKey}\n`);
}

class UsageError extends Error {}
const usage = (message: string) => new UsageError(message);
/** An unknown option or a missing value is a usage error (exit 2, with the usage), not a crash. */
function parsedOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usage((error as Error).message);
  }
}

function printTable(rows: readonly object[]): void {
  if (rows.length === 0) process.stdout.write('(none)\n');
  else console.table(rows);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}`);
    else if (isPlatformError(error)) process.stderr.write(`${error.code}: ${error.message}\n`);
    else if (isPrincipalStoreError(error)) {
      const hint = error.code === PrincipalStoreErrorCode.SpecInvalid ? '\n(options: name is --name, audience --audience, contracts --contracts, rights --rights, rowScope --scope dimension=value)' : '';
      process.stderr.write(`${error.code}: ${error.message}${hint}\n`);
    }
    else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
