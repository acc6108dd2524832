import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';

/** Adds one key to `extensions` of a single (non-incremental) response. */
/** The extensions object this module made for a result: only that one, of that result, is added to in place. */
const copies = new WeakMap<object, Record<string, unknown>>();

export function addExtension<T extends object>(requestContext: GraphQLRequestContextWillSendResponse<T>, key: string, value: unknown): void {
  const { body } = requestContext.response;
  if (body.kind !== 'single') return;
  const { singleResult } = body;
  const extensions = singleResult.extensions;
  // The first extension of a response copies what the result carried; the others add to that copy
  // (the same keys in the same order as a copy each time, without one per extension per response).
  if (extensions && copies.get(singleResult) === extensions) {
    extensions[key] = value;
    return;
  }
  const copy = { ...extensions, [key]: value };
  copies.set(singleResult, copy);
  singleResult.extensions = copy;
}
