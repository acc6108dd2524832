import { createHash } from 'node:crypto';

// Redaction of the quarantine listing: an allowlist of display paths per topic, declared by each
// context (BoundedContext.quarantineDisplay); everything else keeps its shape, not its value.

/** A run of at least this many characters of a hidden value, found in a reason, is scrubbed. */
const MIN_SCRUBBED_RUN = 4;
/** Keys that read as field names are shape, and shown; anything else could be data (an email used as a key). */
const FIELD_NAME = /^[A-Za-z_$][\w$-]{0,63}$/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

type PathSegment = { kind: 'key'; name: string } | { kind: 'each' };

/** `data.lines[].sku` → key data, key lines, each, key sku. `*` stays a key named `*`: the wildcard. */
function parseDisplayPath(path: string): PathSegment[] {
  return path.split('.').flatMap((part): PathSegment[] => {
    const name = part.replace(/(\[\])+$/, '');
    const each = (part.length - name.length) / 2;
    return [...(name ? [{ kind: 'key' as const, name }] : []), ...Array.from({ length: each }, () => ({ kind: 'each' as const }))];
  });
}

function isShown(allowed: readonly PathSegment[][], path: readonly PathSegment[]): boolean {
  return allowed.some((pattern) => pattern.length === path.length && pattern.every((p, i) => {
    const actual = path[i]!;
    if (p.kind === 'each' || actual.kind === 'each') return p.kind === actual.kind;
    return p.name === '*' || p.name === actual.name;
  }));
}

/** Emails removed from free text (a key, a reason): they are personal data wherever they appear. */
export const scrubEmails = (text: string): string => (text.includes('@') ? text.replace(EMAIL, '<redacted email>') : text);

function placeholder(value: string | number | boolean): string {
  if (typeof value === 'string') return `<redacted string, ${[...value].length} chars>`;
  return `<redacted ${typeof value}>`;
}

/**
 * Walks a parsed document: objects and arrays keep their shape, a scalar is shown only when its
 * path is declared. What is hidden and what is shown are both remembered, for the reason.
 */
function redactDocument(value: unknown, path: PathSegment[], allowed: readonly PathSegment[][], seen: { hidden: Set<string>; shown: Set<string> }): unknown {
  const { hidden, shown } = seen;
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => redactDocument(item, [...path, { kind: 'each' }], allowed, seen));
  if (typeof value === 'object') {
    let unnamed = 0;
    return Object.fromEntries(Object.entries(value).map(([key, child]) => {
      const shownKey = FIELD_NAME.test(key) ? key : `<redacted key ${++unnamed}>`;
      if (shownKey !== key) hidden.add(key);
      return [shownKey, redactDocument(child, [...path, { kind: 'key', name: key }], allowed, seen)];
    }));
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  // A declared field still never shows an email: a producer may put one where it does not belong.
  if (isShown(allowed, path)) {
    const text = typeof value === 'string' ? scrubEmails(value) : value;
    shown.add(String(text));
    return text;
  }
  if (typeof value !== 'boolean') hidden.add(String(value));
  return placeholder(value);
}

/**
 * Removes from a reason every value it may quote from the payload: a quoted hidden value, any
 * run of 4 or more characters (MIN_SCRUBBED_RUN) of a hidden value (also JSON-escaped, as reasons quote
 * with JSON.stringify, and as truncated snippets, as JSON.parse errors do), and any email.
 */
function scrubReason(reason: string, hidden: ReadonlySet<string>, shown: ReadonlySet<string> = new Set()): string {
  const covered = new Array<boolean>(reason.length).fill(false);
  const runAt = (text: string, i: number) => text.slice(i, i + MIN_SCRUBBED_RUN);
  const reasonRuns = new Set<string>();
  for (let i = 0; i + MIN_SCRUBBED_RUN <= reason.length; i++) reasonRuns.add(runAt(reason, i));
  for (const value of hidden) {
    if (value === '') continue;
    const quoted = JSON.stringify(value);
    for (let at = reason.indexOf(quoted); at !== -1; at = reason.indexOf(quoted, at + 1)) covered.fill(true, at, at + quoted.length);
    for (const needle of new Set([value, quoted.slice(1, -1)])) {
      const present = runsIn(needle, reasonRuns);
      for (let i = 0; i + MIN_SCRUBBED_RUN <= reason.length; ) {
        if (!present.has(runAt(reason, i))) {
          i++;
          continue;
        }
        let to = i + MIN_SCRUBBED_RUN;
        while (to < reason.length && needle.includes(reason.slice(i, to + 1))) to++;
        covered.fill(true, i, to);
        // Go on after the run: what follows is either more of the value (found from there) or not.
        i = to;
      }
    }
  }
  // What the listing shows anyway (the key, declared fields) is left readable where it stands as
  // a word of its own, even inside a hidden value's run (`journey-ord-1` hides, `ord-1` stays).
  for (const text of shown) {
    if (text.length < MIN_SCRUBBED_RUN) continue;
    for (let at = reason.indexOf(text); at !== -1; at = reason.indexOf(text, at + 1)) {
      if (!WORD_CHAR.test(reason[at - 1] ?? '') && !WORD_CHAR.test(reason[at + text.length] ?? '')) covered.fill(false, at, at + text.length);
    }
  }
  let out = '';
  for (let i = 0; i < reason.length; i++) {
    if (!covered[i]) out += reason[i];
    else if (i === 0 || !covered[i - 1]) out += '<redacted>';
  }
  return scrubEmails(out);
}

/** The reason's short runs that occur in the needle: one pass over it, so a large payload costs one scan. */
function runsIn(needle: string, runs: ReadonlySet<string>): Set<string> {
  const present = new Set<string>();
  for (let i = 0; i + MIN_SCRUBBED_RUN <= needle.length && present.size < runs.size; i++) {
    const run = needle.slice(i, i + MIN_SCRUBBED_RUN);
    if (runs.has(run)) present.add(run);
  }
  return present;
}

function describeOpaque(bytes: Buffer): string {
  return `<redacted: not JSON, ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}>`;
}

/**
 * The redacted view of a quarantined input: its value with only the declared paths shown (see
 * `QuarantineDisplay`), and its reason scrubbed of the values hidden. Bytes that are not JSON show
 * only their length and SHA-256, and no run of them survives in the reason.
 */
export function redactQuarantinedInput(value: Buffer | null, reason: string, displayPaths: readonly string[], key: string | null = null): { value: string | null; reason: string } {
  // The key is shown anyway (the aggregate id): scrubbing it from the reason would hide nothing.
  const shownKey = new Set<string>(key === null ? [] : [scrubEmails(key)]);
  const opaque = (bytes: Buffer, text: string) => ({ value: describeOpaque(bytes), reason: scrubReason(reason, new Set([text]), shownKey) });
  if (value === null) return { value: null, reason: scrubReason(reason, new Set()) };
  const text = value.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return opaque(value, text);
  }
  const seen = { hidden: new Set<string>(), shown: shownKey };
  let redacted: unknown;
  try {
    redacted = redactDocument(document, [], displayPaths.map(parseDisplayPath), seen);
  } catch {
    // Too deep to walk (a stack overflow on hostile nesting): show it as opaque, never as is.
    return opaque(value, text);
  }
  return { value: JSON.stringify(redacted), reason: scrubReason(reason, seen.hidden, seen.shown) };
}
