import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { sendJson } from './sendJson.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body (GraphQL over HTTP); other content types are passed through as text. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`Request body over ${MAX_BODY_BYTES} bytes.`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return JSON.parse(text);
    } catch {
      // Apollo answers a body it cannot use with a precise 400; give it the raw text.
      return text;
    }
  }
  return text;
}

/**
 * A minimal Node `http` integration for Apollo Server (its documented integration contract:
 * `executeHTTPGraphQLRequest`), so one process can serve many schemas on their own paths.
 */
export async function handleApolloRequest<T extends BaseContext>(server: ApolloServer<T>, req: IncomingMessage, res: ServerResponse, context: () => Promise<T>): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  try {
    body = await readBody(req);
  } catch (error) {
    sendJson(res, (error as { status?: number }).status ?? 400, { errors: [{ message: (error as Error).message, extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
    context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
