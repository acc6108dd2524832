import type { Cache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import type { PrincipalSpec } from '../../gateway/access/index.js';
import type { OpenedAccess } from '../../gateway/openAccess.js';
import { openAccess } from '../../gateway/openAccess.js';

/** The principals most gateway tests need, one per kind of caller. */
export const TEST_PRINCIPALS = {
  internal: { name: 'test-internal', audience: 'INTERNAL', contracts: ['*'] },
  partner: { name: 'test-partner-a', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } },
  partnerB: { name: 'test-partner-b', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } },
  operator: { name: 'test-operator', audience: 'INTERNAL', contracts: ['*'], rights: ['operate', 'export', 'steward'] },
} as const satisfies Record<string, PrincipalSpec>;

export type TestPrincipalName = keyof typeof TEST_PRINCIPALS;

/** Real access for a test gateway: principal store and audit log in `schema`, real keys, a fixed tokenization secret. */
export async function openTestAccess(deps: { db: Database; cache: Cache }, schema: string): Promise<{ access: OpenedAccess; keys: Record<TestPrincipalName, string>; bearer: (who: TestPrincipalName) => Record<string, string> }> {
  const access = await openAccess(deps, { schema, tokenizationSecret: 'test-tokenization-secret-0123456789abcdef' });
  const keys = {} as Record<TestPrincipalName, string>;
  for (const [who, spec] of Object.entries(TEST_PRINCIPALS) as Array<[TestPrincipalName, PrincipalSpec]>) {
    keys[who] = (await access.principals.create(spec)).apiKey;
  }
  return { access, keys, bearer: (who) => ({ authorization: `Bearer ${keys[who]}` }) };
}
