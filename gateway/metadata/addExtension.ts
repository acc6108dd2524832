import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';

/** Adds one key to `extensions` of a single (non-incremental) response. */
export function addExtension<T extends object>(requestContext: GraphQLRequestContextWillSendResponse<T>, key: string, value: unknown): void {
  const { body } = requestContext.response;
  if (body.kind !== 'single') return;
  body.singleResult.extensions = { ...body.singleResult.extensions, [key]: value };
}
