import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../access/index.js';
import { hasRight } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import { auditPrincipal } from '../audit/index.js';
import { currentRequestScope, GatewayErrorCode, sendGatewayError } from '../errors/index.js';
import { readRequestBody } from '../http/readRequestBody.js';
import { sendJson } from '../http/sendJson.js';
import type { ExportJob, ExportRefusal, ExportRequest } from './ExportJob.js';
import { isExportRefusal } from './ExportJob.js';
import { EXPORT_REQUEST_EXAMPLE, parseExportRequest } from './parseExportRequest.js';

/** What the routes need of the job runner. */
export interface ExportRoutesDeps {
  jobs: {
    start(principal: Principal, request: ExportRequest, options?: { correlationId?: string }): Promise<ExportJob | ExportRefusal>;
    get(id: string, principal: Principal): Promise<ExportJob | null>;
    filePath(id: string): string;
  };
  list(principal: Principal): Promise<ExportJob[]>;
  audit: AuditLog;
}

/**
 * `extensions.code` of a download asked for before its file exists (409). It belongs with the
 * gateway's public codes (errors/GatewayErrorCode.ts); it lives here until it is added there.
 */
export const EXPORT_NOT_READY = GatewayErrorCode.ExportNotReady;

const ROUTES = 'POST /exports starts an export; GET /exports lists yours; GET /exports/<id> gives its status and manifest; GET /exports/<id>/file downloads it.';

/**
 * The HTTP face of export jobs, for a principal the gateway has authenticated. Every route needs
 * the `export` right. A principal reaches only its own jobs: another principal's id answers
 * exactly as an unknown one (404), so ids cannot be probed.
 */
export function createExportRoutes(deps: ExportRoutesDeps): (req: IncomingMessage, res: ServerResponse, principal: Principal) => Promise<boolean> {
  const correlationId = () => currentRequestScope()?.correlationId ?? 'none';

  const create = async (req: IncomingMessage, res: ServerResponse, principal: Principal) => {
    const refused = (refusal: GatewayErrorCode, message: string, contract?: string) => {
      deps.audit.record({
        action: refusal === GatewayErrorCode.Forbidden ? 'access.denied' : 'export.create',
        ...auditPrincipal(principal),
        ...(contract ? { contract } : {}),
        outcome: refusal === GatewayErrorCode.Forbidden ? 'denied' : 'error',
        errorCode: refusal,
        correlationId: correlationId(),
        detail: 'POST /exports',
      });
      sendGatewayError(res, refusal, message);
    };
    const read = await readRequestBody(req, { example: EXPORT_REQUEST_EXAMPLE });
    if (read.kind === 'error') return refused(read.code, read.message);
    const request = parseExportRequest(read.kind === 'body' ? read.body : undefined);
    if ('problems' in request) return refused(GatewayErrorCode.BadRequest, request.problems.join(' '));
    const job = await deps.jobs.start(principal, request, { correlationId: correlationId() });
    if (isExportRefusal(job)) return refused(job.refusal, job.message, `${request.contract}/v${request.version}`);
    res.setHeader('location', `/exports/${job.id}`);
    sendJson(res, 202, { id: job.id, status: job.status, links: linksOf(job) });
  };

  const download = async (res: ServerResponse, principal: Principal, job: ExportJob) => {
    if (job.status !== 'SUCCEEDED' || !job.manifest) {
      const why = job.status === 'FAILED' ? `failed (${job.error?.code ?? 'unknown'}); start a new export` : `is ${job.status} (${job.rowsWritten} rows written so far); GET /exports/${job.id} until its status is SUCCEEDED`;
      sendGatewayError(res, GatewayErrorCode.ExportNotReady, `Export ${job.id} has no file: it ${why}.`);
      return;
    }
    const path = deps.jobs.filePath(job.id);
    let bytes: number;
    try {
      bytes = (await stat(path)).size;
    } catch {
      sendGatewayError(res, GatewayErrorCode.NotFound, `The file of export ${job.id} is not on this gateway any more (removed, or written by another instance whose export directory this one does not share). Start a new export.`);
      return;
    }
    const { manifest } = job;
    res.writeHead(200, {
      // The file is the representation (a .ndjson.gz): no Content-Encoding, so clients keep it
      // compressed and its bytes are the ones the manifest's SHA-256 covers.
      'content-type': 'application/x-ndjson',
      'content-disposition': `attachment; filename="${manifest.contract.name}-v${manifest.contract.version}-${job.id}.ndjson.gz"`,
      'content-length': String(bytes),
      etag: `"${manifest.file.sha256}"`,
      'repr-digest': `sha-256=:${Buffer.from(manifest.file.sha256, 'hex').toString('base64')}:`,
      'cache-control': 'private, no-store',
    });
    deps.audit.record({ action: 'export.download', ...auditPrincipal(principal), contract: `${manifest.contract.name}/v${manifest.contract.version}`, exportId: job.id, rowsReturned: manifest.rows, outcome: 'ok', correlationId: correlationId() });
    // A client that hangs up mid-file ends the stream; there is nobody left to answer.
    await pipeline(createReadStream(path), res).catch(() => undefined);
  };

  return async (req, res, principal) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (path !== '/exports' && !path.startsWith('/exports/')) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    if (!hasRight(principal, 'export')) {
      deps.audit.record({ action: 'access.denied', ...auditPrincipal(principal), outcome: 'denied', errorCode: GatewayErrorCode.Forbidden, correlationId: correlationId(), detail: `${method} /exports` });
      sendGatewayError(res, GatewayErrorCode.Forbidden, `Exports need the "export" right, which principal "${principal.name}" does not have. An operator grants it (principals create ... --rights export).`);
      return true;
    }
    const [id, part, ...rest] = path.split('/').slice(2);
    if (id === undefined) {
      if (method === 'POST') await create(req, res, principal);
      else if (method === 'GET') sendJson(res, 200, { exports: (await deps.list(principal)).map(describeJob) });
      else sendGatewayError(res, GatewayErrorCode.MethodNotAllowed, `${method} /exports is not a route. ${ROUTES}`, { headers: { allow: 'GET, POST' } });
      return true;
    }
    if (rest.length > 0 || (part !== undefined && part !== 'file')) {
      sendGatewayError(res, GatewayErrorCode.NotFound, `No route ${method} ${path}. ${ROUTES}`);
      return true;
    }
    if (method !== 'GET') {
      sendGatewayError(res, GatewayErrorCode.MethodNotAllowed, `${method} ${path} is not a route. ${ROUTES}`, { headers: { allow: 'GET' } });
      return true;
    }
    const job = await deps.jobs.get(id, principal);
    if (!job) {
      sendGatewayError(res, GatewayErrorCode.NotFound, `No export ${JSON.stringify(id.slice(0, 40))} of yours. GET /exports lists yours.`);
      return true;
    }
    if (part === 'file') await download(res, principal, job);
    else sendJson(res, 200, describeJob(job));
    return true;
  };
}

function linksOf(job: ExportJob) {
  return { self: `/exports/${job.id}`, file: `/exports/${job.id}/file` };
}

function describeJob(job: ExportJob) {
  return {
    id: job.id,
    status: job.status,
    contract: job.contract,
    version: job.version,
    filter: job.filter,
    rowsWritten: job.rowsWritten,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    error: job.error,
    manifest: job.manifest,
    links: linksOf(job),
  };
}
