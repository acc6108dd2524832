import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Principal } from '../access/index.js';
import { visibleContracts } from '../catalog/index.js';
import type { CompiledContract, ContractAudience } from '../contracts/index.js';
import type { MetadataExportOptions } from './MetadataExportOptions.js';
import { CONTRACT_DOCUMENTS, renderContractDocument } from './renderContractDocument.js';

/**
 * Writes `<directory>/<name>/v<N>/{schema.graphql,odcs.yaml,openlineage.json}` for every contract
 * version `audience` is served, exactly as the gateway serves them to a principal of that
 * audience allowed every contract (the same visibleContracts rules: for PARTNER, only partner
 * contracts, OMIT fields absent, no lineage for redacted fields). Returns the paths written.
 */
export async function writeMetadataExports(contracts: readonly CompiledContract[], directory: string, audience: ContractAudience, options: MetadataExportOptions = {}): Promise<string[]> {
  const written: string[] = [];
  for (const view of visibleContracts(anyPrincipalOf(audience), contracts)) {
    const folder = join(directory, view.meta.name, `v${view.meta.version}`);
    await mkdir(folder, { recursive: true });
    for (const document of CONTRACT_DOCUMENTS) {
      const path = join(folder, document);
      await writeFile(path, renderContractDocument(view, audience, document, options).body);
      written.push(path);
    }
  }
  return written;
}

/** Stands for "a principal of this audience granted every contract": the export is no one's in particular. */
function anyPrincipalOf(audience: ContractAudience): Principal {
  return { id: `export-metadata:${audience}`, name: `any ${audience.toLowerCase()} principal`, audience, contracts: ['*'], rights: [], rowScope: null, credential: { kind: 'apiKey', prefix: 'none' } };
}
