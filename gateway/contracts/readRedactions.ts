import type { DirectiveNode, FieldDefinitionNode, GraphQLField, GraphQLSchema } from 'graphql';
import { getDirectiveValues, getNamedType } from 'graphql';
import type { RedactionRule, RedactionStrategy } from '../redaction/index.js';
import type { MaskKind } from '../redaction/index.js';
import type { ContractAudience } from './ContractModel.js';

type Problem = (coordinate: string | null, message: string, fix: string) => void;

/** Scalars whose values can be masked or tokenized: the result is a string. */
const REDACTABLE_SCALARS = new Set(['String', 'ID']);

/**
 * The `@redact` rules of one field, checked so that what is declared can be enforced: one rule per
 * audience, a mask kind exactly when the strategy is MASK, MASK/TOKENIZE only on String or ID.
 */
export function readRedactions(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, node: FieldDefinitionNode, coordinate: string, problem: Problem): RedactionRule[] {
  const definition = schema.getDirective('redact')!;
  const rules: RedactionRule[] = [];
  for (const directive of (node.directives ?? []).filter((d: DirectiveNode) => d.name.value === 'redact')) {
    const values = getDirectiveValues(definition, { ...node, directives: [directive] });
    if (!values) continue;
    const rule: RedactionRule = { audience: values.audience as ContractAudience, strategy: values.strategy as RedactionStrategy, mask: (values.mask as MaskKind | undefined) ?? null };
    if (rules.some((r) => r.audience === rule.audience)) {
      problem(coordinate, `has two @redact rules for ${rule.audience}.`, `keep one @redact(audience: ${rule.audience}, ...) per audience.`);
      continue;
    }
    if (rule.strategy === 'MASK' && !rule.mask) problem(coordinate, '@redact(strategy: MASK) names no mask.', 'add mask: EMAIL, POSTAL_CODE, NAME or TEXT (the documented masks).');
    if (rule.strategy !== 'MASK' && rule.mask) problem(coordinate, `@redact(strategy: ${rule.strategy}) has a mask, which only MASK uses.`, 'remove mask, or use strategy: MASK.');
    const named = getNamedType(field.type).name;
    if (rule.strategy !== 'OMIT' && !REDACTABLE_SCALARS.has(named)) {
      problem(coordinate, `@redact(strategy: ${rule.strategy}) is on a field of type ${String(field.type)}; only String and ID values can be ${rule.strategy === 'MASK' ? 'masked' : 'tokenized'}.`, 'use OMIT for this field, or redact its String/ID sub-fields instead.');
    }
    rules.push(rule);
  }
  return rules;
}
