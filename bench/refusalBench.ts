/**
 * What refusing a hostile document costs, against what the gateway spends before execution on a
 * normal query, in the same run: CPU milliseconds of the pre-execution steps (parse with the token
 * cap, validation, query limits), median of many repetitions.
 *
 * The hostile document is 10,000 aliases (about 110,000 tokens): the token cap stops the parser at
 * MAX_DOCUMENT_TOKENS, so validation and the limit walks never see it. The tests assert that
 * refusal and its message; how fast it is belongs here, where a noisy machine cannot fail a build.
 *
 * Writes bench/results/refusal.json and .md. Options (env): BENCH_REPEAT (200).
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { loadContracts } from '../gateway/contracts/index.js';
import { DEFAULT_QUERY_LIMITS } from '../gateway/limits/QueryLimits.js';
import { contexts } from '../subgraphs/index.js';
import { preExecutionErrors } from '../test/support/preExecutionErrors.js';
import { writeBenchResults } from './writeBenchResults.js';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 200);
const HOSTILE = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: recentCustomerOrders(first: 1) { orderId }`).join(' ')} }`;
const NORMAL = '{ recentCustomerOrders(first: 100) { orderId orderTotal { amount currency } orderLines { sku quantity unitPrice { amount } } lifecycleHistory { sequence occurredAt } } }';

const beforeExecution = (schema: GraphQLSchema, source: string) => preExecutionErrors(schema, source, DEFAULT_QUERY_LIMITS.INTERNAL);

function cpuMedianMs(work: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const contracts = await loadContracts(fileURLToPath(new URL('../contracts', import.meta.url)), contexts.flatMap((c) => c.subgraphs));
const schema = contracts.find((c) => c.meta.name === 'customer_order_timeline' && c.meta.version === 2)!.schema;
const refusal = beforeExecution(schema, HOSTILE);
if (refusal.length !== 1 || !/tokens\. Parsing aborted/.test(refusal[0]!.message)) throw new Error(`the hostile document was not refused by the token cap: ${refusal.map((e) => e.message).join('; ')}`);
if (beforeExecution(schema, NORMAL).length !== 0) throw new Error('the normal query was refused');
const load = loadavg()[0]!;
// Warm both paths first (JIT), then measure them alternately in blocks.
cpuMedianMs(() => beforeExecution(schema, HOSTILE));
cpuMedianMs(() => beforeExecution(schema, NORMAL));
const hostileMs = cpuMedianMs(() => beforeExecution(schema, HOSTILE));
const normalMs = cpuMedianMs(() => beforeExecution(schema, NORMAL));
const result = {
  date: new Date().toISOString(),
  node: process.version,
  repeat: REPEAT,
  load_average_1m: Number(load.toFixed(2)),
  hostile_10000_aliases_cpu_ms: Number(hostileMs.toFixed(3)),
  normal_query_cpu_ms: Number(normalMs.toFixed(3)),
  ratio_hostile_to_normal: Number((hostileMs / normalMs).toFixed(2)),
};
await writeBenchResults(
  'refusal',
  result,
  `# Refusal benchmark\n\n\`npm run bench:refusal\` (${result.date.slice(0, 10)}, Node ${result.node}, load average ${result.load_average_1m} on 2 cores): CPU per document of the steps before execution (parse with the token cap, validation, query limits), median of ${REPEAT}.\n\n| document | CPU ms | ÷ normal query |\n|---|---:|---:|\n| normal query (100 orders with lines and history) | ${result.normal_query_cpu_ms} | 1 |\n| 10,000 aliases (refused by the token cap while parsing) | ${result.hostile_10000_aliases_cpu_ms} | ${result.ratio_hostile_to_normal} |\n\nBefore the cap (measured once, earlier): validating this document took ~250 ms and the whole request 12–16 s.\n`,
);
console.info(result);
