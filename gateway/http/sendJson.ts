import type { ServerResponse } from 'node:http';

/** Writes a JSON answer (admin routes, routing errors): one place for the content type. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body, null, 2));
}
