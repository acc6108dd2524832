import type { CompiledContract, ContractAudience } from '../contracts/index.js';
import { buildOpenLineageEvents } from './buildOpenLineageEvents.js';
import { renderOdcsYaml } from './buildOdcsContract.js';
import type { MetadataExportOptions } from './MetadataExportOptions.js';

/** The documents published for each contract version, as `/contracts/<name>/v<N>/<document>`. */
export const CONTRACT_DOCUMENTS = ['schema.graphql', 'odcs.yaml', 'openlineage.json'] as const;
export type ContractDocument = (typeof CONTRACT_DOCUMENTS)[number];

export function isContractDocument(name: string): name is ContractDocument {
  return (CONTRACT_DOCUMENTS as readonly string[]).includes(name);
}

/**
 * One published document of a contract version for one audience: the self-contained SDL, the
 * ODCS contract (YAML) or the OpenLineage dataset events (a JSON array, sources first). `view`
 * is the principal's view (visibleContracts), so all three say the same about what exists.
 */
export function renderContractDocument(view: CompiledContract, audience: ContractAudience, document: ContractDocument, options: MetadataExportOptions = {}): { contentType: string; body: string } {
  switch (document) {
    case 'schema.graphql':
      return { contentType: 'text/plain; charset=utf-8', body: view.views[audience].sdl };
    case 'odcs.yaml':
      return { contentType: 'application/yaml; charset=utf-8', body: renderOdcsYaml(view, options) };
    case 'openlineage.json':
      return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(buildOpenLineageEvents(view, audience, options), null, 2)}\n` };
    default:
      throw new Error(`unknown contract document ${JSON.stringify(document satisfies never)}`);
  }
}
