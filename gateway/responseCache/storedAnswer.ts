import { RawJson } from '../http/RawJson.js';

/** A cached answer: when it was stored, and its `data`. */
export interface StoredAnswer {
  storedAt: number;
  data: Record<string, unknown>;
}

interface StoredField {
  key: string;
  /** Records of a RawJson value; null for a value stored as plain JSON (parsed back on reading). */
  rows: number | null;
  /** Length of its text, in UTF-16 code units. */
  length: number;
}

/**
 * An answer as one string: a JSON head line (when, and each root field's key, length and kind),
 * then the root fields' JSON texts one after the other. A root field PostgreSQL printed
 * (RawJson) is stored as its text and read back as RawJson with its row count, so a hit is
 * written as the miss was, without parsing a large page into objects and printing it again
 * (which had made a hit cost about as much CPU as the miss it saved). Any other value is stored
 * as its JSON and parsed back.
 */
export function printStoredAnswer({ storedAt, data }: StoredAnswer): string {
  const fields: StoredField[] = [];
  let texts = '';
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const text = value instanceof RawJson ? value.text : JSON.stringify(value);
    fields.push({ key, rows: value instanceof RawJson ? value.rows : null, length: text.length });
    texts += text;
  }
  // JSON.stringify escapes every line break, so the head is exactly the first line.
  return `${JSON.stringify({ storedAt, fields })}\n${texts}`;
}

/** The answer `printStoredAnswer` printed; null when the text is not one (an entry of another format). */
export function readStoredAnswer(stored: string): StoredAnswer | null {
  const newline = stored.indexOf('\n');
  if (newline < 0) return null;
  let head: { storedAt?: unknown; fields?: unknown };
  try {
    head = JSON.parse(stored.slice(0, newline)) as typeof head;
  } catch {
    return null;
  }
  if (typeof head.storedAt !== 'number' || !Array.isArray(head.fields)) return null;
  const data: Record<string, unknown> = {};
  let at = newline + 1;
  for (const { key, rows, length } of head.fields as StoredField[]) {
    const text = stored.slice(at, at + length);
    at += length;
    data[key] = rows === null ? JSON.parse(text) : new RawJson(text, rows);
  }
  return at === stored.length ? { storedAt: head.storedAt, data } : null;
}
