import type { ExportRequest } from './ExportJob.js';

export const EXPORT_REQUEST_EXAMPLE = '{"contract":"partner_order_status","version":1,"filter":{"since":null}}';

/**
 * The body of `POST /exports`, checked: an ExportRequest, or every problem at once, each naming
 * the field, what it must be and what was received.
 */
export function parseExportRequest(body: unknown): ExportRequest | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [`The body must be a JSON object like ${EXPORT_REQUEST_EXAMPLE}; received ${describe(body)}.`] };
  }
  const problems: string[] = [];
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!['contract', 'version', 'filter'].includes(key)) problems.push(`Unknown field "${key}": the body takes "contract", "version" and "filter".`);
  }
  const { contract, version, filter } = fields;
  if (typeof contract !== 'string' || contract.length === 0) problems.push(`"contract" must be a contract name, e.g. "partner_order_status"; received ${describe(contract)}.`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) problems.push(`"version" must be a contract version, a positive integer such as 1; received ${describe(version)}.`);
  let since: string | null = null;
  if (filter !== undefined && filter !== null) {
    if (typeof filter !== 'object' || Array.isArray(filter)) problems.push(`"filter" must be an object like {"since":null}; received ${describe(filter)}.`);
    else {
      const filterFields = filter as Record<string, unknown>;
      for (const key of Object.keys(filterFields)) {
        if (key !== 'since') problems.push(`Unknown filter "${key}": the only filter is "since" (a cursor from the change feed or from a previous export's manifest).`);
      }
      const value = filterFields.since;
      if (value !== undefined && value !== null && typeof value !== 'string') problems.push(`"filter.since" must be a cursor string (an endCursor you received) or null for everything; received ${describe(value)}.`);
      else since = value ?? null;
    }
  }
  if (problems.length > 0) return { problems };
  return { contract: contract as string, version: version as number, filter: { since } };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
