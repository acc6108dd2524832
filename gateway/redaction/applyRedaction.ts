import type { PrincipalAudience } from '../access/index.js';
import type { MaskKind } from './maskValue.js';
import { maskValue } from './maskValue.js';
import type { Tokenizer } from './createTokenizer.js';

export type RedactionStrategy = 'OMIT' | 'MASK' | 'TOKENIZE';

/** One `@redact(audience, strategy, mask)` of a contract field. */
export interface RedactionRule {
  audience: PrincipalAudience;
  strategy: RedactionStrategy;
  /** Which documented mask, for MASK; null otherwise. */
  mask: MaskKind | null;
}

/** The rule that applies to an audience, or null when the field leaves as it is. */
export function redactionFor(rules: readonly RedactionRule[], audience: PrincipalAudience): RedactionRule | null {
  return rules.find((r) => r.audience === audience) ?? null;
}

/**
 * Applies MASK or TOKENIZE to one value (lists element by element; null stays null, since a
 * missing value reveals nothing the schema does not). OMIT never reaches here: an omitted field
 * does not exist in that audience's schema.
 */
export function applyRedaction(rule: RedactionRule, value: unknown, principalId: string, tokenizer: Tokenizer): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => applyRedaction(rule, v, principalId, tokenizer));
  const text = value instanceof Date ? value.toISOString() : String(value);
  switch (rule.strategy) {
    case 'MASK':
      return maskValue(rule.mask ?? 'TEXT', text);
    case 'TOKENIZE':
      return tokenizer.tokenize(principalId, text);
    case 'OMIT':
      throw new Error(`applyRedaction: OMIT is enforced by leaving the field out of the ${rule.audience} schema, not per value.`);
  }
}
