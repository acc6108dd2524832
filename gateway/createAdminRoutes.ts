import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { listQuarantine, readWatermarks } from '../platform/projection/index.js';
import { sendJson } from './http/sendJson.js';

/**
 * Operator endpoints (JSON): health, watermarks and quarantine of the running process. With the
 * embedded defaults they are the only window into the in-process database.
 */
export function createAdminRoutes(deps: { db: Database; log: EventLog }, schema: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    switch (url.pathname) {
      case '/health':
        await deps.db.query('select 1');
        sendJson(res, 200, { status: 'ok' });
        return true;
      case '/admin/watermarks':
        sendJson(res, 200, await readWatermarks(deps.db, schema, { log: deps.log }));
        return true;
      case '/admin/quarantine': {
        const state = url.searchParams.get('state');
        sendJson(res, 200, await listQuarantine(deps.db, schema, { state: state === 'open' || state === 'redriven' ? state : undefined, reasonCode: url.searchParams.get('reason') ?? undefined, limit: Number(url.searchParams.get('limit') ?? 100) }));
        return true;
      }
      default:
        return false;
    }
  };
}
