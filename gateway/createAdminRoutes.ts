import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../platform/database/index.js';
import { isMissingRelation } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { listQuarantine, readWatermarks } from '../platform/projection/index.js';
import type { ContextModule } from '../platform/context/index.js';
import type { Principal } from './access/index.js';
import type { AuditLog } from './audit/index.js';
import { currentRequestScope, GatewayErrorCode, sendGatewayError } from './errors/index.js';
import { sendJson } from './http/sendJson.js';

/** Most quarantine entries one listing returns: enough to triage, small enough to never hold the process. */
const MAX_QUARANTINE_LISTING = 1000;

/** A context served by this process and the Postgres schema its projections live in. */
export interface AdminContext {
  context: Pick<ContextModule, 'name' | 'ingestion'>;
  schema: string;
}

/**
 * Health and the operator endpoints (JSON): watermarks and quarantine of every context, each row
 * tagged with its context (`?context=NAME` narrows to one). With the embedded defaults they are
 * the only window into the in-process database. `/health` is open; the caller checks the
 * `operate` right before anything under `/admin/`.
 */
export function createAdminRoutes(deps: { db: Database; log: EventLog }, contexts: readonly AdminContext[], audit: AuditLog) {
  /** Each selected context's rows; a context whose projector never ran here has no tables yet, and so no rows. */
  const perContext = async <T>(only: string | null, read: (entry: AdminContext) => Promise<T[]>): Promise<Array<T & { context: string }>> => {
    const selected = contexts.filter((c) => only === null || c.context.name === only);
    const rows = await Promise.all(selected.map(async (entry) => (await read(entry).catch(ifNotStarted)).map((row) => ({ context: entry.context.name, ...row }))));
    return rows.flat();
  };
  return async (req: IncomingMessage, res: ServerResponse, principal: Principal | null): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return true;
    }
    if (!principal) return false;
    if (req.method !== 'GET' && (path === '/admin/watermarks' || path === '/admin/quarantine')) {
      sendGatewayError(res, GatewayErrorCode.MethodNotAllowed, `${req.method} ${path} is not served; use GET.`, { headers: { allow: 'GET' } });
      return true;
    }
    const only = url.searchParams.get('context');
    if (only !== null && !contexts.some((c) => c.context.name === only)) {
      sendGatewayError(res, GatewayErrorCode.BadRequest, `context=${JSON.stringify(only)} is not served here; contexts: ${contexts.map((c) => c.context.name).join(', ')}.`);
      return true;
    }
    switch (path) {
      case '/admin/watermarks':
        sendJson(res, 200, await perContext(only, ({ schema }) => readWatermarks(deps.db, schema, { log: deps.log })));
        return true;
      case '/admin/quarantine': {
        const state = url.searchParams.get('state');
        const limitRaw = url.searchParams.get('limit') ?? '100';
        const limit = Number(limitRaw);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUARANTINE_LISTING) {
          sendGatewayError(res, GatewayErrorCode.BadRequest, `limit=${JSON.stringify(limitRaw)} must be an integer from 1 to ${MAX_QUARANTINE_LISTING}.`);
          return true;
        }
        if (state !== null && state !== 'open' && state !== 'redriven') {
          sendGatewayError(res, GatewayErrorCode.BadRequest, `state=${JSON.stringify(state)} must be "open" or "redriven".`);
          return true;
        }
        // Payloads are shown redacted; the stored original is an explicit, audited request.
        const originalRaw = url.searchParams.get('original');
        if (originalRaw !== null && originalRaw !== 'true' && originalRaw !== 'false') {
          sendGatewayError(res, GatewayErrorCode.BadRequest, `original=${JSON.stringify(originalRaw)} must be "true" or "false".`);
          return true;
        }
        const original = originalRaw === 'true';
        if (original) {
          audit.record({ action: 'quarantine.original', principalId: principal.id, principalName: principal.name, audience: principal.audience, outcome: 'ok', correlationId: currentRequestScope()?.correlationId ?? 'none', detail: `original payloads, limit ${limit}` });
        }
        const entries = await perContext(only, ({ context, schema }) => listQuarantine(deps.db, schema, { state: state ?? undefined, reasonCode: url.searchParams.get('reason') ?? undefined, limit, payload: original ? 'original' : 'redacted', context: context.ingestion }));
        // Oldest first across contexts, as within one; `limit` bounds the whole answer.
        sendJson(res, 200, entries.sort((a, b) => a.quarantinedAt.getTime() - b.quarantinedAt.getTime()).slice(0, limit));
        return true;
      }
      default:
        return false;
    }
  };
}

/** No rows for a context whose projector has not created its tables in this database yet. */
function ifNotStarted(error: unknown): never[] {
  if (isMissingRelation(error)) return [];
  throw error;
}
