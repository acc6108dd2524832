// PostgreSQL cannot store two things a JavaScript string (and a JSON text) can hold: the NUL
// character (text and jsonb refuse U+0000) and an unpaired UTF-16 surrogate (not Unicode; jsonb
// refuses its \uXXXX escape, and text would silently get U+FFFD instead). A record carrying
// either would fail its batch's transaction on every retry and block its partition for ever.
const NUL = /\u0000/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Where a value holds text PostgreSQL cannot store, and what: null when it can all be stored. */
export interface UnstorableText {
  /** JSON path of the string (or key), e.g. `data.customerName` or `data.lines[2].sku`. */
  path: string;
  what: 'a NUL character (U+0000)' | 'an unpaired UTF-16 surrogate';
}

/**
 * Walks strings, object keys and arrays of a JSON-like value; the first unstorable text found.
 * Runs on every decoded event, so the common case (nothing found) is a char-code scan with no
 * allocation; the path is built only on the way back from a find.
 */
export function findUnstorableText(value: unknown, path = ''): UnstorableText | null {
  if (!holdsUnstorable(value)) return null;
  return locate(value, path);
}

/** Whether any string or key in the value holds a NUL or a surrogate: the cheap pre-check. */
function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return suspicious(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsUnstorable(item)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (suspicious(key) || holdsUnstorable((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** NUL or any surrogate (paired ones too: the exact rule is left to the regular expressions). */
function suspicious(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

function check(text: string, at: string): UnstorableText | null {
  if (NUL.test(text)) return { path: at || '(value)', what: 'a NUL character (U+0000)' };
  if (UNPAIRED_SURROGATE.test(text)) return { path: at || '(value)', what: 'an unpaired UTF-16 surrogate' };
  return null;
}

function locate(value: unknown, path: string): UnstorableText | null {
  if (typeof value === 'string') return check(value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = locate(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const found = check(key, at) ?? locate(item, at);
      if (found) return found;
    }
  }
  return null;
}

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

/**
 * Whether bytes, decoded as UTF-8 (and parsed as JSON), may yield unstorable text: only through
 * a NUL byte or a `\u` escape (\u0000, \ud800). UTF-8 itself cannot carry a lone surrogate:
 * Node decodes an encoded one as U+FFFD. Byte searches (memchr), instead of walking what was
 * decoded; each backslash found starts an escape, so `\\u` (a backslash, then u) is no `\u`.
 */
export function bytesMayHoldUnstorableText(bytes: Buffer | null): boolean {
  if (bytes === null) return false;
  if (bytes.indexOf(0) !== -1) return true;
  for (let at = bytes.indexOf(BACKSLASH); at !== -1; at = bytes.indexOf(BACKSLASH, at + 2)) {
    if (bytes[at + 1] === LETTER_U) return true;
  }
  return false;
}

/**
 * Text for a column that must always be written (a quarantine reason, a record's headers): what
 * PostgreSQL cannot store becomes U+FFFD, the replacement character. Only for descriptions and
 * metadata: a record's key and value are stored as bytes, exactly.
 */
export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE, '\ufffd');
}
