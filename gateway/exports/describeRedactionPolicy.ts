import type { PrincipalAudience } from '../access/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { redactionFor } from '../redaction/index.js';
import type { RedactionPolicyEntry } from './ExportJob.js';

/**
 * The redaction policy of an export, read from the same `@redact` rules the view's resolvers
 * enforce: each exported field with its classification and the rule for the audience (NONE when
 * the field leaves as it is). Omitted fields are not in the view, so they are not listed either:
 * naming them would tell a partner what its view hides.
 */
export function describeRedactionPolicy(contract: CompiledContract, audience: PrincipalAudience, fields: readonly string[]): RedactionPolicyEntry[] {
  return fields.flatMap((coordinate): RedactionPolicyEntry[] => {
    const field = contract.fields.get(coordinate);
    const rule = redactionFor(field?.redactions ?? [], audience);
    // An OMIT field is not in the audience's view, so the export document cannot select it.
    if (rule?.strategy === 'OMIT') return [];
    return [{ field: coordinate, classification: field?.classification ?? 'INTERNAL', strategy: rule?.strategy ?? 'NONE', ...(rule?.mask ? { mask: rule.mask } : {}) }];
  });
}
