import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.js';
import { isPlatformError } from '../platform/errors/index.js';
import { createProjector, listQuarantine, readWatermarks, rebuildProjection, redriveQuarantine } from '../platform/projection/index.js';
import { createSimulator } from '../platform/simulator/index.js';
import { ordersContext } from '../subgraphs/orders/index.js';
import { openServices, projectorOptionsFrom } from './openServices.js';

const USAGE = `Data Product Gateway operations CLI

Usage: npm run cli -- <command> [options]

Commands:
  run                                   run the projectors until Ctrl-C
  watermarks                            per projection and partition: offset, lag, event time, counts
  quarantine list [--state open|redriven] [--reason CODE] [--limit N]
  quarantine redrive <id...> | --all    re-apply quarantined input after a fix
  rebuild <projection> [--accept-differences]
                                        rebuild from the log into shadow tables, report parity, swap
  simulate --orders N [--seed S]        produce N simulated orders into the event log

Options:
  --schema NAME                         Postgres schema of the orders context (default: orders)

Every command reads the same environment as \`npm start\` (DATABASE_URL, KAFKA_BROKERS, ...).
Inspection commands need DATABASE_URL: the embedded PGlite lives inside the server process.
`;

const contexts = [ordersContext];

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean' },
      'accept-differences': { type: 'boolean' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      schema: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const needsSharedDatabase = ['watermarks', 'quarantine', 'rebuild'].includes(command);
  if (needsSharedDatabase && config.database.kind === 'pglite') {
    process.stderr.write(`\`${command}\` needs DATABASE_URL: without it the CLI would open its own empty in-memory PGlite, not the server's.\nFix: DATABASE_URL=postgres://... npm run cli -- ${command}; with embedded defaults use the running server's /admin endpoints.\n`);
    return 2;
  }
  if (command === 'rebuild' && config.eventLog.kind === 'embedded') {
    process.stderr.write('`rebuild` replays the event log, and the embedded log lives inside the server process.\nFix: KAFKA_BROKERS=host:9092 DATABASE_URL=postgres://... npm run cli -- rebuild <projection>\n');
    return 2;
  }
  const services = await openServices(config);
  const schema = values.schema ?? ordersContext.name;
  try {
    switch (command) {
      case 'run': {
        const projectors = contexts.map((c) => createProjector(services, c, { ...projectorOptionsFrom(config), schema }));
        for (const p of projectors) await p.start();
        process.stdout.write(`projectors running (${contexts.map((c) => c.name).join(', ')}); Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
        for (const p of projectors) await p.stop();
        return 0;
      }
      case 'watermarks':
        printTable(await readWatermarks(services.db, schema, { log: services.log }));
        return 0;
      case 'quarantine':
        if (sub === 'list') {
          const state = values.state;
          if (state !== undefined && state !== 'open' && state !== 'redriven') throw usage(`--state must be open or redriven, not ${state}`);
          printTable((await listQuarantine(services.db, schema, { state, reasonCode: values.reason, limit: values.limit ? Number(values.limit) : 100 })).map((q) => ({ ...q, value: q.value?.slice(0, 60) ?? null })));
          return 0;
        }
        if (sub === 'redrive') {
          const ids = values.all ? (await listQuarantine(services.db, schema, { state: 'open', limit: 100_000 })).map((q) => q.quarantineId) : rest.map(Number);
          if (ids.length === 0 || ids.some((id) => !Number.isInteger(id))) throw usage('quarantine redrive takes quarantine ids (integers) or --all');
          printTable(await redriveQuarantine(services.db, ordersContext, schema, ids));
          return 0;
        }
        throw usage(`unknown quarantine subcommand ${JSON.stringify(sub)}`);
      case 'rebuild': {
        if (!sub) throw usage('rebuild needs a projection name, e.g. order_timeline');
        const report = await rebuildProjection(services, ordersContext, sub, { schema, gapBound: config.projection.gapBound, acceptDifferences: values['accept-differences'] === true });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.swapped ? 0 : 1;
      }
      case 'simulate': {
        const orders = Number(values.orders ?? '100');
        if (!Number.isInteger(orders) || orders < 1) throw usage('--orders must be a positive integer');
        const { records } = createSimulator({ seed: Number(values.seed ?? config.simulator.seed), startTime: Date.now() }).nextOrders(orders);
        for (const record of records) await services.log.produce(record.topic, [{ key: record.key, value: record.value }]);
        process.stdout.write(`produced ${records.length} records for ${orders} orders\n`);
        return 0;
      }
      default:
        throw usage(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    await services.close();
  }
}

class UsageError extends Error {}
const usage = (message: string) => new UsageError(message);

function printTable(rows: readonly object[]): void {
  if (rows.length === 0) process.stdout.write('(none)\n');
  else console.table(rows);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}`);
    else if (isPlatformError(error)) process.stderr.write(`${error.code}: ${error.message}\n`);
    else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
