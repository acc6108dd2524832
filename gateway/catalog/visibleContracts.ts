import type { Principal } from '../access/index.js';
import { mayUseContract } from '../access/index.js';
import type { CompiledContract, ContractField } from '../contracts/index.js';

/**
 * The contracts a principal may see in the catalog, each as that principal's audience sees it.
 * Internal principals see every contract whole. A partner sees only the contracts it may query,
 * with the fields omitted for partners gone from the field list and the SDL, and no lineage,
 * column or usage detail for the fields redacted for it: the catalog is one more path out, and
 * redaction holds on every path.
 */
export function visibleContracts(principal: Principal, contracts: readonly CompiledContract[]): CompiledContract[] {
  if (principal.audience === 'INTERNAL') return [...contracts];
  return contracts.filter((c) => c.meta.audience === 'PARTNER' && mayUseContract(principal, c.meta)).map((c) => asSeenByPartner(c));
}

function asSeenByPartner(contract: CompiledContract): CompiledContract {
  const view = contract.views.PARTNER;
  const fields = new Map<string, ContractField>();
  for (const [coordinate, field] of contract.fields) {
    if (view.omitted.has(coordinate)) continue;
    const redacted = field.redactions.some((r) => r.audience === 'PARTNER');
    fields.set(coordinate, redacted ? { ...field, lineage: [], redactions: field.redactions.filter((r) => r.audience === 'PARTNER') } : { ...field, redactions: field.redactions.filter((r) => r.audience === 'PARTNER') });
  }
  return { ...contract, sdl: view.sdl, schema: view.schema, fields };
}
