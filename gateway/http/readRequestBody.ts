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
  const read = await readChunks(req);
  if (read === null) return { kind: 'error', code: GatewayErrorCode.PayloadTooLarge, message: `Request body is over ${MAX_BODY_BYTES} bytes. Send a smaller query or fewer variables.` };
  if (!contentType) return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `POST without a Content-Type. Send Content-Type: application/json with a body like ${example}.` };
  if (!contentType.startsWith('application/json') && !contentType.startsWith('application/graphql-response+json')) {
    return { kind: 'error', code: GatewayErrorCode.UnsupportedMediaType, message: `Content-Type ${JSON.stringify(contentType.split(';')[0])} is not accepted. Send Content-Type: application/json with a body like ${example}.` };
  }
  const text = read.length === 1 ? read[0]!.toString('utf8') : Buffer.concat(read).toString('utf8');
  if (text.trim() === '') return { kind: 'error', code: GatewayErrorCode.BadRequest, message: `Request body is empty. Send a JSON object like ${example}.` };
  try {
    return { kind: 'body', body: JSON.parse(text) };
  } catch {
    // The parser's own message quotes the body; what a caller sent is not echoed back.
    return { kind: 'error', code: GatewayErrorCode.BadRequest, message: `Request body is not valid JSON (${text.length} characters received). Send a JSON object like ${example}.` };
  }
}

/**
 * The body's chunks, or null when it is over MAX_BODY_BYTES (the request is then destroyed, as
 * leaving a `for await` over it would). Listeners rather than the stream's async iterator: this
 * runs on every request, and the iterator costs a generator and promises per chunk.
 */
function readChunks(req: IncomingMessage): Promise<Buffer[] | null> {
  if (req.errored) return Promise.reject(req.errored);
  if (req.readableEnded) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done();
        req.destroy();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // Closed before its end (the client went away): nothing to answer.
    const onClose = () => onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
