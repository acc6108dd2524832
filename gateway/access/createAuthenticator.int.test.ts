import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoKey } from 'jose';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createMemoryCache, createRedisCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPgliteDatabase, createPostgresDatabase, quoteIdent } from '../../platform/database/index.js';
import { postgresUrl, redisUrl, uniqueName } from '../../test/support/services.js';
import { AccessErrorCode, isAccessError } from './AccessError.js';
import type { Authenticator } from './createAuthenticator.js';
import { createAuthenticator, INVALID_API_KEY_MESSAGE, NO_CREDENTIAL_MESSAGE } from './createAuthenticator.js';
import { createJwtVerifier } from './createJwtVerifier.js';
import type { PrincipalStore } from './createPrincipalStore.js';
import { createPrincipalStore } from './createPrincipalStore.js';
import type { SessionStore } from './createSessionStore.js';
import { createSessionStore, SESSION_COOKIE } from './createSessionStore.js';
import type { Principal } from './Principal.js';

/** The two deployments: services (PostgreSQL + Redis) and embedded (PGlite + in-memory cache). */
const deployments: Array<[name: string, open: () => Promise<{ db: Database; cache: Cache }>]> = [
  ['PostgreSQL and Redis', async () => ({ db: await createPostgresDatabase(postgresUrl()), cache: await createRedisCache(redisUrl(), { keyPrefix: `${uniqueName('dpg-test-auth')}:` }) })],
  ['PGlite and the in-memory cache', async () => ({ db: await createPgliteDatabase(), cache: createMemoryCache() })],
];

describe.each(deployments)('authenticator on %s', (_name, open) => {
  const schema = uniqueName('access_authn');
  const issuer = 'https://issuer.test';
  let db: Database;
  let cache: Cache;
  let store: PrincipalStore;
  let sessions: SessionStore;
  let authenticator: Authenticator;
  let signingKey: CryptoKey;
  let dir: string;
  let partner: { principal: Principal; apiKey: string };
  let internal: { principal: Principal; apiKey: string };

  /** The AccessError a request earns: always 401, never echoing what was sent. */
  const refusal = async (headers: IncomingHttpHeaders, using: Authenticator = authenticator): Promise<string> => {
    const error = await using.authenticate(headers).then(() => null, (e: unknown) => e);
    expect(isAccessError(error, AccessErrorCode.Unauthenticated)).toBe(true);
    const message = (error as Error).message;
    for (const value of Object.values(headers)) {
      const secret = String(value).replace(/^Bearer /, '').replace(`${SESSION_COOKIE}=`, '');
      if (secret.length > 20) expect(message).not.toContain(secret);
    }
    return message;
  };

  beforeAll(async () => {
    ({ db, cache } = await open());
    store = createPrincipalStore(db, { schema });
    await store.migrate();
    sessions = createSessionStore(cache);
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    dir = mkdtempSync(join(tmpdir(), 'dpg-authn-'));
    writeFileSync(join(dir, 'issuer.pem'), await exportSPKI(pair.publicKey));
    const jwt = createJwtVerifier({ issuer, audience: 'gateway', publicKeyFile: join(dir, 'issuer.pem') });
    authenticator = createAuthenticator({ store, jwt, sessions });
    partner = await store.create({ name: 'partner', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rowScope: { salesChannel: ['MARKETPLACE'] } });
    internal = await store.create({ name: 'internal', audience: 'INTERNAL', contracts: ['*'], rights: ['operate'] });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await db.close();
    await cache.close();
  });

  it('accepts an API key as Authorization: Bearer (any case of the scheme) and as X-Api-Key', async () => {
    expect(await authenticator.authenticate({ authorization: `Bearer ${partner.apiKey}` })).toEqual(partner.principal);
    expect((await authenticator.authenticate({ authorization: `bearer ${partner.apiKey}` })).id).toBe(partner.principal.id);
    expect(await authenticator.authenticate({ 'x-api-key': internal.apiKey })).toEqual(internal.principal);
    // The same key in both headers is one credential.
    expect((await authenticator.authenticate({ authorization: `Bearer ${internal.apiKey}`, 'x-api-key': internal.apiKey })).id).toBe(internal.principal.id);
  });

  it('accepts a JWT as Authorization: Bearer, and says which settings enable JWTs where none are configured', async () => {
    const token = await new SignJWT({ sub: 'svc-bi', dpg_audience: 'INTERNAL', dpg_contracts: ['order_status/v1'] }).setProtectedHeader({ alg: 'ES256' }).setIssuer(issuer).setAudience('gateway').setExpirationTime('5m').sign(signingKey);
    expect(await authenticator.authenticate({ authorization: `Bearer ${token}` })).toMatchObject({ id: `jwt:${issuer}#svc-bi`, credential: { kind: 'jwt', issuer, subject: 'svc-bi' } });
    const keysOnly = createAuthenticator({ store });
    expect(await refusal({ authorization: `Bearer ${token}` }, keysOnly)).toMatch(/^JWTs are not accepted here: no JWT issuer is configured.*Fix: send an API key, or have the operator set JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE\.$/);
    expect(await refusal({ authorization: 'Bearer not.a.jwt' })).toContain('is not a valid JWT');
  });

  it('asks for a credential when there is none', async () => {
    expect(await refusal({})).toBe(NO_CREDENTIAL_MESSAGE);
    expect(await refusal({ authorization: '  ', 'x-api-key': '' })).toBe(NO_CREDENTIAL_MESSAGE);
    expect(NO_CREDENTIAL_MESSAGE).toBe('No credential: send Authorization: Bearer <API key or JWT> (or X-Api-Key)');
    expect(await refusal({ authorization: 'Basic dXNlcjpwYXNz' })).toBe('Authorization scheme "Basic" is not supported. Fix: send Authorization: Bearer <API key or JWT>.');
    expect(await refusal({ authorization: 'Bearer' })).toContain('Authorization: Bearer has no token');
  });

  it('gives unknown and revoked keys one message, and malformed keys their own', async () => {
    const doomed = await store.create({ name: 'doomed', audience: 'INTERNAL', contracts: ['*'] });
    expect((await authenticator.authenticate({ 'x-api-key': doomed.apiKey })).id).toBe(doomed.principal.id);
    await store.revoke('doomed');
    const revoked = await refusal({ 'x-api-key': doomed.apiKey });
    const unknown = await refusal({ authorization: `Bearer dpg_abcdefgh_${'x'.repeat(43)}` });
    const wrongSecret = await refusal({ authorization: `Bearer ${partner.apiKey.slice(0, 13)}${'y'.repeat(43)}` });
    expect(revoked).toBe(unknown);
    expect(wrongSecret).toBe(unknown);
    expect(unknown).toBe(`${INVALID_API_KEY_MESSAGE}. Fix: ask an operator for a current key.`);
    expect(await refusal({ authorization: 'Bearer dpg_short' })).toBe('API key is malformed: expected dpg_<8 lowercase characters>_<43 base64url characters> (56 characters), got 9 characters. Fix: send the key exactly as `principals create` printed it.');
    expect(await refusal({ 'x-api-key': 'sk_live_somethingelse' })).toMatch(/^API key is malformed: .*got 21 characters not starting with dpg_/);
  });

  it('refuses two credentials that disagree', async () => {
    expect(await refusal({ authorization: `Bearer ${partner.apiKey}`, 'x-api-key': internal.apiKey })).toBe('Two different credentials, in Authorization and X-Api-Key: send one.');
    const session = await sessions.create(internal.principal.id);
    expect(await refusal({ authorization: `Bearer ${partner.apiKey}`, cookie: `${SESSION_COOKIE}=${session}` })).toBe(`Two credentials for different principals, the ${SESSION_COOKIE} cookie and the Authorization header: send one.`);
    // Agreeing credentials, or a stale cookie beside a valid key, are fine.
    expect((await authenticator.authenticate({ 'x-api-key': internal.apiKey, cookie: `${SESSION_COOKIE}=${session}` })).id).toBe(internal.principal.id);
    await sessions.destroy(session);
    expect((await authenticator.authenticate({ authorization: `Bearer ${partner.apiKey}`, cookie: `${SESSION_COOKIE}=${session}` })).id).toBe(partner.principal.id);
  });

  it('accepts the session cookie until the session is destroyed or its principal revoked', async () => {
    const operator = await store.create({ name: 'operator', audience: 'INTERNAL', contracts: ['*'], rights: ['operate'] });
    const session = await sessions.create(operator.principal.id);
    const principal = await authenticator.authenticate({ cookie: `theme=dark; ${SESSION_COOKIE}=${session}; other=1` });
    expect(principal).toMatchObject({ id: operator.principal.id, name: 'operator', rights: ['operate'], credential: { kind: 'session' } });
    expect(principal.credential).toEqual({ kind: 'session', prefix: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(session).not.toContain((principal.credential as { prefix: string }).prefix);

    await sessions.destroy(session);
    const stale = 'Session is not valid (expired, signed out, or its principal revoked). Fix: sign in again, or send Authorization: Bearer <API key or JWT>.';
    expect(await refusal({ cookie: `${SESSION_COOKIE}=${session}` })).toBe(stale);

    const second = await sessions.create(operator.principal.id);
    expect((await authenticator.authenticate({ cookie: `${SESSION_COOKIE}=${second}` })).id).toBe(operator.principal.id);
    await store.revoke('operator');
    expect(await refusal({ cookie: `${SESSION_COOKIE}=${second}` })).toBe(stale);
    // Without a session store the cookie means nothing here.
    expect(await refusal({ cookie: `${SESSION_COOKIE}=${second}` }, createAuthenticator({ store }))).toBe(NO_CREDENTIAL_MESSAGE);
  });
});
