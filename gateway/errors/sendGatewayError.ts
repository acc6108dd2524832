import type { ServerResponse } from 'node:http';
import type { GatewayErrorCode } from './GatewayErrorCode.js';
import { HTTP_STATUS_OF } from './GatewayErrorCode.js';
import { currentRequestScope, noteErrorCode } from './requestScope.js';

/**
 * An error answered before GraphQL runs (credentials, routing, limits, the HTTP body), in the
 * GraphQL response shape so every client parses one format, with its fixed HTTP status.
 */
export function sendGatewayError(res: ServerResponse, code: GatewayErrorCode, message: string, options: { headers?: Record<string, string>; extensions?: Record<string, unknown> } = {}): void {
  const correlationId = currentRequestScope()?.correlationId;
  noteErrorCode(code);
  const body = { errors: [{ message, extensions: { code, ...options.extensions, ...(correlationId ? { correlationId } : {}) } }] };
  res.writeHead(HTTP_STATUS_OF[code], { 'content-type': 'application/json; charset=utf-8', ...(correlationId ? { 'x-correlation-id': correlationId } : {}), ...options.headers });
  res.end(JSON.stringify(body));
}
