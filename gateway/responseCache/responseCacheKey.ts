import { createHash } from 'node:crypto';

/** Everything an answer depends on besides the rows it reads: two requests that agree on all of it may share an answer. */
export interface ResponseCacheKeyParts {
  /** `name/vN` of the contract version. */
  contract: string;
  /** The audience view executed (INTERNAL or PARTNER): each has its own schema and redaction. */
  audience: string;
  /** SHA-256 of the operation document's text (Apollo's queryHash), or the text itself where Apollo gave no hash. */
  documentHash: string;
  operationName: string | null;
  variables: Readonly<Record<string, unknown>> | undefined;
  /**
   * Who asks, and the row scope they had when they asked: partner answers depend on row scope
   * and per-principal tokens and sealed cursors, so an answer is never shared across principals,
   * and a scope (or rights) changed by an operator is a new key.
   */
  principalId: string;
  rowScope: unknown;
  /** The principal's rights: a field that needs one is answered only while it is held. */
  rights: readonly string[];
  /** Per projection read, the version of its rows (FreshnessReader.version): a move is a new key. */
  versions: Readonly<Record<string, string>>;
}

/**
 * The cache key: a SHA-256 over the canonical JSON of the parts (object keys sorted at every
 * depth, so `{a, b}` and `{b, a}` variables are one key), under a prefix naming the format.
 * Versions are part of the key, not of the entry: an answer is found only while every
 * projection it read is where it was, and stale entries are never read again (they age out).
 */
export function responseCacheKey(parts: ResponseCacheKeyParts): string {
  const text = canonicalJson([parts.contract, parts.audience, parts.documentHash, parts.operationName, parts.variables ?? {}, parts.principalId, parts.rowScope ?? null, [...parts.rights].sort(), parts.versions]);
  return `response:v2:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted at every depth; `undefined` members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}
