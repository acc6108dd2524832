import type { IncomingMessage } from 'node:http';
import { GatewayErrorCode } from '../errors/index.js';

/** Largest request body accepted. A contract query is a few kilobytes; 1 MiB leaves room for big variable sets. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyReadResult = { kind: 'body'; body: unknown } | { kind: 'none' } | { kind: 'error'; code: GatewayErrorCode; message: string };

/**
 * Reads a GraphQL-over-HTTP POST body. Each unusable body gets its own precise answer instead of
 * Apollo's generic one: an empty body, a body that is not JSON, a content type that is not JSON.
 */
export async function readRequestBody(req: IncomingMessage, options: { example?: string } = {}): Promise<BodyReadResult> {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return { kind: 'none' };
  const example = options.example ?? '{"query":"{ ... }"}';
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `Content-Encoding ${JSON.stringify(encoding)} is not accepted. Send the body uncompressed.` };
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { kind: 'error', code: GatewayErrorCode.PayloadTooLarge, message: `Request body is over ${MAX_BODY_BYTES} bytes. Send a smaller query or fewer variables.` };
    chunks.push(chunk as Buffer);
  }
  if (!contentType) return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `POST without a Content-Type. Send Content-Type: application/json with a body like ${example}.` };
  if (!contentType.startsWith('application/json') && !contentType.startsWith('application/graphql-response+json')) {
    return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `Content-Type ${JSON.stringify(contentType.split(';')[0])} is not accepted. Send Content-Type: application/json with a body like ${example}.` };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { kind: 'error', code: GatewayErrorCode.BadRequest, message: `Request body is empty. Send a JSON object like ${example}.` };
  try {
    return { kind: 'body', body: JSON.parse(text) };
  } catch {
    // The parser's own message quotes the body; what a caller sent is not echoed back.
    return { kind: 'error', code: GatewayErrorCode.BadRequest, message: `Request body is not valid JSON (${text.length} characters received). Send a JSON object like ${example}.` };
  }
}
