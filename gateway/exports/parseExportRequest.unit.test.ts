import { describe, expect, it } from 'vitest';
import { parseExportRequest } from './parseExportRequest.js';

describe('parseExportRequest', () => {
  it('accepts a contract, a version and an optional since cursor', () => {
    expect(parseExportRequest({ contract: 'partner_order_status', version: 1 })).toEqual({ contract: 'partner_order_status', version: 1, filter: { since: null } });
    expect(parseExportRequest({ contract: 'partner_order_status', version: 1, filter: { since: 'b2M' } })).toEqual({ contract: 'partner_order_status', version: 1, filter: { since: 'b2M' } });
    expect(parseExportRequest({ contract: 'partner_order_status', version: 2, filter: null })).toEqual({ contract: 'partner_order_status', version: 2, filter: { since: null } });
  });

  it('names every problem at once, with what was received', () => {
    const result = parseExportRequest({ contract: '', version: 1.5, filter: { since: ['x'], until: 'y' }, format: 'csv' });
    expect(result).toEqual({
      problems: [
        'Unknown field "format": the body takes "contract", "version" and "filter".',
        '"contract" must be a contract name, e.g. "partner_order_status"; received "".',
        '"version" must be a contract version, a positive integer such as 1; received 1.5.',
        'Unknown filter "until": the only filter is "since" (a cursor from the change feed or from a previous export\'s manifest).',
        '"filter.since" must be a cursor string (an endCursor you received) or null for everything; received ["x"].',
      ],
    });
  });

  it('refuses a body that is not an object, and shortens long values it repeats', () => {
    expect(parseExportRequest([1, 2])).toEqual({ problems: [expect.stringMatching(/^The body must be a JSON object like .*; received \[1,2\]\.$/)] });
    expect(parseExportRequest(undefined)).toEqual({ problems: [expect.stringContaining('received nothing')] });
    const long = parseExportRequest({ contract: 'x'.repeat(500), version: 0 });
    expect('problems' in long && long.problems[0]).toMatch(/version/);
    expect(parseExportRequest({ contract: 5, version: 1, filter: 'x'.repeat(500) })).toEqual({ problems: [expect.any(String), expect.stringMatching(/received "x{56}\.\.\.\.$/)] });
  });
});
