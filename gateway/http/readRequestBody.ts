import type { IncomingMessage } from 'node:http';
import { GatewayErrorCode } from '../errors/index.js';

/** Largest request body accepted. A contract query is a few kilobytes; 1 MiB leaves room for big variable sets. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyReadResult = { kind: 'body'; body: unknown } | { kind: 'none' } | { kind: 'error'; code: GatewayErrorCode; message: string };

/**
 * Reads a GraphQL-over-HTTP POST body. Each unusable body gets its own precise answer instead of
 * Apollo's generic one: an empty body, a body that is not JSON, a content type that is not JSON.
 */
export async function readRequestBody(req: IncomingMessage): Promise<BodyReadResult> {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return { kind: 'none' };
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { kind: 'error', code: GatewayErrorCode.PayloadTooLarge, message: `Request body is over ${MAX_BODY_BYTES} bytes. Send a smaller query or fewer variables.` };
    chunks.push(chunk as Buffer);
  }
  if (!contentType) return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: 'POST without a Content-Type. Send Content-Type: application/json with a body like {"query":"{ ... }"}.' };
  if (!contentType.startsWith('application/json') && !contentType.startsWith('application/graphql-response+json')) {
    return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `Content-Type ${JSON.stringify(contentType.split(';')[0])} is not accepted. Send Content-Type: application/json with a body like {"query":"{ ... }"}.` };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { kind: 'error', code: GatewayErrorCode.BadRequest, message: 'Request body is empty. Send a JSON object like {"query":"{ ... }"}.' };
  try {
    return { kind: 'body', body: JSON.parse(text) };
  } catch (error) {
    return { kind: 'error', code: GatewayErrorCode.BadRequest, message: `Request body is not valid JSON (${(error as Error).message}). Send a JSON object like {"query":"{ ... }"}.` };
  }
}
