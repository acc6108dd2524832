import type { Change } from '@graphql-inspector/core';
import { ChangeType, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

export type ChangeCriticality = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

/** One change between two versions of a contract, as a steward reads it. */
export interface ContractChange {
  /** graphql-inspector's change type (`FIELD_REMOVED`, ...), or `DIRECTIVE_USAGE_ARGUMENT_CHANGED` for a directive argument whose value changed. */
  type: string;
  criticality: ChangeCriticality;
  /** The schema coordinate changed (`Type.field`, `Type.field.@from.subgraph`, `.@contract.owner` for the version's promises); null when inspector names none. */
  path: string | null;
  message: string;
  /** Why inspector judges it so (its criticality reason), when it says more than the message. */
  reason: string | null;
  /** For a changed directive argument: the value before and after, as GraphQL literals. */
  before: string | null;
  after: string | null;
}

const CRITICALITY: Record<CriticalityLevel, ChangeCriticality> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'NON_BREAKING',
};
const ARGUMENT_CHANGES: ReadonlySet<string> = new Set([ChangeType.DirectiveUsageArgumentAdded, ChangeType.DirectiveUsageArgumentRemoved]);
/** Changes that add or remove a whole thing: what changed inside it is said by them. */
const WHOLE = /^(TYPE_(ADDED|REMOVED)|FIELD_(ADDED|REMOVED)|DIRECTIVE_USAGE_.*_(ADDED|REMOVED))$/;

/**
 * What changed from one contract version to the next, by @graphql-inspector/core (as `check`
 * judges changes against a published snapshot), folded so a steward reads each change once:
 * - what is inside a type, field or directive use that was added or removed (an added field's
 *   `@from`, a new enum's values, a new directive use's arguments) is said by that change;
 * - an argument removed and added again on the same use is one change, with before and after;
 * - `@contract(version:)` is left out: it differs between any two versions.
 * Pass each version's schema as one audience sees it (the catalog passes the caller's view).
 */
export async function diffContractVersions(previous: GraphQLSchema, current: GraphQLSchema): Promise<ContractChange[]> {
  const changes = await diff(previous, current);
  const wholes = new Set(changes.filter((c) => !ARGUMENT_CHANGES.has(c.type) && WHOLE.test(c.type) && c.path).map((c) => c.path!));
  const insideWhole = (path: string) => path.split('.').some((_, i, parts) => i > 0 && wholes.has(parts.slice(0, i).join('.')));
  const added = new Map(changes.filter((c) => c.type === ChangeType.DirectiveUsageArgumentAdded && c.path).map((c) => [c.path!, c]));
  const removed = new Set(changes.filter((c) => c.type === ChangeType.DirectiveUsageArgumentRemoved && c.path).map((c) => c.path!));
  const out: ContractChange[] = [];
  for (const change of changes) {
    const path = change.path ?? null;
    if (path === '.@contract.version') continue;
    if (path !== null && insideWhole(path)) continue;
    if (change.type === ChangeType.DirectiveUsageArgumentAdded && path !== null && removed.has(path)) continue; // said by its removal, below
    if (change.type === ChangeType.DirectiveUsageArgumentRemoved && path !== null && added.has(path)) {
      out.push(changedArgument(change, added.get(path)!));
      continue;
    }
    out.push({ type: change.type, criticality: CRITICALITY[change.criticality.level], path, message: change.message, reason: reasonOf(change), before: null, after: null });
  }
  return out;
}

function changedArgument(removal: Change, addition: Change): ContractChange {
  const meta = addition.meta as { addedArgumentName?: string; addedArgumentValue?: string | null; oldArgumentValue?: string | null; directiveName?: string };
  const where = removal.path!.startsWith('.') ? `@${meta.directiveName ?? ''}` : removal.path!.slice(0, removal.path!.lastIndexOf('.'));
  return {
    type: 'DIRECTIVE_USAGE_ARGUMENT_CHANGED',
    // Inspector judges the removal half: changing a directive's argument can change behaviour.
    criticality: CRITICALITY[removal.criticality.level],
    path: removal.path!,
    message: `Argument '${meta.addedArgumentName ?? ''}' of ${where} changed`,
    reason: reasonOf(removal),
    before: meta.oldArgumentValue ?? null,
    after: meta.addedArgumentValue ?? null,
  };
}

function reasonOf(change: Change): string | null {
  const reason = change.criticality.reason ?? null;
  return reason && reason !== change.message && !change.message.startsWith(reason) ? reason : null;
}
