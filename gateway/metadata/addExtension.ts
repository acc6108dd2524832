import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';

/** Adds one key to `extensions` of a single (non-incremental) response. */
/** Extensions objects this module made, each for one response: only those are added to in place. */
const owned = new WeakSet<Record<string, unknown>>();

export function addExtension<T extends object>(requestContext: GraphQLRequestContextWillSendResponse<T>, key: string, value: unknown): void {
  const { body } = requestContext.response;
  if (body.kind !== 'single') return;
  const extensions = body.singleResult.extensions;
  // The first extension of a response copies what the result carried; the others add to that copy
  // (the same keys in the same order as a copy each time, without one per extension per response).
  if (extensions && owned.has(extensions)) {
    extensions[key] = value;
    return;
  }
  const copy = { ...extensions, [key]: value };
  owned.add(copy);
  body.singleResult.extensions = copy;
}
