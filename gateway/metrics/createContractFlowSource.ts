import type { ExecutionResult } from 'graphql';
import type { CompiledContract, ContractFlowMetrics } from '../contracts/index.js';
import type { FlowSource } from './createFlowCollector.js';

/** Runs a query on a contract version in-process, as an internal caller would (the gateway's executeContractOperation). */
export type ContractOperationRunner = (contract: CompiledContract, document: string) => Promise<ExecutionResult>;

/** A contract's gauges: its declared operation, run through the contract's own resolvers, turned into samples. */
export function createContractFlowSource(contract: CompiledContract & { flowMetrics: ContractFlowMetrics }, run: ContractOperationRunner): FlowSource {
  return {
    id: `contract:${contract.meta.name}/v${contract.meta.version}`,
    async collect() {
      const result = await run(contract, contract.flowMetrics.operation);
      if (result.errors?.length || !result.data) throw new Error(`${contract.meta.name} v${contract.meta.version} flow metrics query failed: ${result.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
      return contract.flowMetrics.samples(result.data);
    },
  };
}
