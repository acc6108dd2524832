/**
 * The documented masks, one per kind of personal data (`@redact(strategy: MASK, mask: KIND)`).
 * A mask keeps just enough for a human to recognise a record and nothing that identifies it:
 *
 * | kind          | input                     | output              |
 * |---------------|---------------------------|---------------------|
 * | `EMAIL`       | `jane.doe@example.test`   | `j***@example.test` |
 * | `POSTAL_CODE` | `10115`                   | `10***`             |
 * | `NAME`        | `Jane Mary Doe`           | `J. M. D.`          |
 * | `TEXT`        | anything                  | `***`               |
 */
export type MaskKind = 'EMAIL' | 'POSTAL_CODE' | 'NAME' | 'TEXT';
export const MASK_KINDS: readonly MaskKind[] = ['EMAIL', 'POSTAL_CODE', 'NAME', 'TEXT'];

const HIDDEN = '***';

export function maskValue(kind: MaskKind, value: string): string {
  switch (kind) {
    case 'EMAIL': {
      const at = value.lastIndexOf('@');
      // No usable local part or domain: nothing is safe to keep.
      if (at < 1 || at === value.length - 1) return HIDDEN;
      return `${firstCharacter(value)}${HIDDEN}${value.slice(at)}`;
    }
    case 'POSTAL_CODE': {
      const compact = value.replace(/\s+/g, '');
      // Two characters name a region in most postal systems; shorter codes keep nothing.
      return compact.length > 3 ? `${compact.slice(0, 2)}${HIDDEN}` : HIDDEN;
    }
    case 'NAME': {
      const initials = value.split(/[\s-]+/).filter(Boolean).map((part) => `${firstCharacter(part).toUpperCase()}.`);
      return initials.length > 0 ? initials.join(' ') : HIDDEN;
    }
    case 'TEXT':
      return HIDDEN;
  }
}

/** The first code point, so a name starting with an astral character is not cut in half. */
function firstCharacter(value: string): string {
  return String.fromCodePoint(value.codePointAt(0) ?? 0x2a);
}
