import type { GraphQLError, GraphQLSchema, OperationDefinitionNode, TypeNode } from 'graphql';
import { Kind } from 'graphql';
import type { CheckQueryLimitsInput } from './checkQueryLimits.js';
import { checkQueryLimits } from './checkQueryLimits.js';
import type { QueryLimits } from './QueryLimits.js';

/** Passing variable shapes kept per operation and limits; past it the operation's are forgotten and learnt again. */
const MAX_SHAPES_PER_OPERATION = 64;

/**
 * `checkQueryLimits` with its passes remembered. A verdict depends on the document (Apollo hands
 * the same DocumentNode to every request with the same text), the caller's limits and the
 * variable values, of which the values of `ID` and `String` variables (a cursor, an id) cannot
 * change it: they always coerce, and neither a page size nor the cost reads them (list lengths
 * do, so a list of ids is kept). So a request whose other variables equal a passing one's passes
 * too, without the three walks (about 3.5% of a request's CPU on a large page). Refusals are not
 * kept: each is measured again, so its errors are the request's own.
 */
export function createLimitsVerdicts(): (input: CheckQueryLimitsInput) => GraphQLError[] {
  const passes = new WeakMap<QueryLimits, WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, Set<string>>>>();
  const passedFor = (limits: QueryLimits, schema: GraphQLSchema, operation: OperationDefinitionNode) => {
    let bySchema = passes.get(limits);
    if (!bySchema) passes.set(limits, (bySchema = new WeakMap()));
    let byOperation = bySchema.get(schema);
    if (!byOperation) bySchema.set(schema, (byOperation = new WeakMap()));
    let shapes = byOperation.get(operation);
    if (!shapes) byOperation.set(operation, (shapes = new Set()));
    return shapes;
  };
  return (input) => {
    const key = variablesShape(input.operation, input.variables ?? {});
    const passed = key === null ? null : passedFor(input.limits, input.schema, input.operation);
    if (passed && key !== null && passed.has(key)) return [];
    const errors = checkQueryLimits(input);
    if (errors.length === 0 && passed && key !== null) {
      if (passed.size >= MAX_SHAPES_PER_OPERATION) passed.clear();
      passed.add(key);
    }
    return errors;
  };
}

/** The variables as sent, the strings of `ID`/`String` variables left out; null when they cannot be printed. */
function variablesShape(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): string | null {
  const opaque = new Set((operation.variableDefinitions ?? []).filter((d) => isIdOrString(d.type)).map((d) => d.variable.name.value));
  const shape: Record<string, unknown> = {};
  for (const name of Object.keys(variables).sort()) {
    const value = variables[name];
    shape[name] = opaque.has(name) && typeof value === 'string' ? '\u0000opaque' : value;
  }
  try {
    return JSON.stringify(shape);
  } catch {
    return null;
  }
}

function isIdOrString(type: TypeNode): boolean {
  const named = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  return named.kind === Kind.NAMED_TYPE && (named.name.value === 'ID' || named.name.value === 'String');
}
