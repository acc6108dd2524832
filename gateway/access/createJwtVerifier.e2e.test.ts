import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessErrorCode, isAccessError } from './AccessError.js';
import type { JwtVerifier } from './createJwtVerifier.js';
import { createJwtVerifier } from './createJwtVerifier.js';

const issuer = 'https://issuer.test';
const audience = 'data-product-gateway';
const now = () => Math.floor(Date.now() / 1000);
const internalClaims = { dpg_audience: 'INTERNAL', dpg_contracts: ['*'] };

describe('createJwtVerifier', () => {
  let signing: { privateKey: CryptoKey; publicKey: CryptoKey };
  let stranger: { privateKey: CryptoKey; publicKey: CryptoKey };
  let dir: string;
  let server: Server;
  let jwksUrl: string;
  let jwksRequests = 0;
  let byPem: JwtVerifier;
  let byJwks: JwtVerifier;

  /** A token as an issuer mints it; `claims` override or (with undefined) drop the defaults. */
  const sign = (claims: Record<string, unknown>, options: { key?: CryptoKey; kid?: string; alg?: string; iss?: string; aud?: string; exp?: number | null } = {}) => {
    const payload = Object.fromEntries(Object.entries({ sub: 'svc-reporting', ...internalClaims, ...claims }).filter(([, v]) => v !== undefined)) as JWTPayload;
    let jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setIssuedAt();
    if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now() + 300);
    return jwt.sign(options.key ?? signing.privateKey);
  };
  /** The AccessError a token earns, checked to be a 401 that does not echo the token. */
  const refusal = async (verifier: JwtVerifier, token: string): Promise<string> => {
    const error = await verifier.verify(token).then(() => null, (e: unknown) => e);
    expect(isAccessError(error, AccessErrorCode.Unauthenticated)).toBe(true);
    if (!isAccessError(error)) throw new Error('unreachable');
    expect(error.httpStatus).toBe(401);
    expect(error.message).not.toContain(token);
    const signature = token.split('.')[2] ?? '';
    if (signature.length > 16) expect(error.message).not.toContain(signature);
    return error.message;
  };

  beforeAll(async () => {
    signing = await generateKeyPair('RS256', { extractable: true });
    stranger = await generateKeyPair('RS256', { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    dir = mkdtempSync(join(tmpdir(), 'dpg-jwt-'));
    writeFileSync(join(dir, 'public.pem'), await exportSPKI(signing.publicKey));
    writeFileSync(join(dir, 'public.jwk.json'), JSON.stringify(publicJwk));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }));
    writeFileSync(join(dir, 'private.jwk.json'), JSON.stringify(await exportJWK(signing.privateKey)));
    server = createServer((req, res) => {
      jwksRequests++;
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    byPem = createJwtVerifier({ issuer, audience, publicKeyFile: join(dir, 'public.pem') });
    byJwks = createJwtVerifier({ issuer, audience, jwksUrl });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps a valid token to a principal, with a PEM key file', async () => {
    const principal = await byPem.verify(await sign({}));
    expect(principal).toEqual({
      id: `jwt:${issuer}#svc-reporting`,
      name: 'svc-reporting',
      audience: 'INTERNAL',
      contracts: ['*'],
      rights: [],
      rowScope: null,
      credential: { kind: 'jwt', issuer, subject: 'svc-reporting' },
    });
  });

  it('maps a valid partner token, with keys from a JWKS URL over HTTP', async () => {
    const before = jwksRequests;
    const token = await sign({ sub: 'acme', name: 'ACME Marketplace', dpg_audience: 'PARTNER', dpg_contracts: ['partner_order_status/v1'], dpg_rights: ['export'], dpg_row_scope: { salesChannel: ['MARKETPLACE'] } });
    const principal = await byJwks.verify(token);
    expect(principal).toMatchObject({ id: `jwt:${issuer}#acme`, name: 'ACME Marketplace', audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } });
    expect(jwksRequests).toBeGreaterThan(before);
    const fetched = jwksRequests;
    await byJwks.verify(token);
    expect(jwksRequests).toBe(fetched); // the key set is cached
  });

  it('accepts one JWK or a JWKS in a JSON key file, and refuses a private key file', async () => {
    const token = await sign({});
    for (const file of ['public.jwk.json', 'jwks.json']) {
      expect((await createJwtVerifier({ issuer, audience, publicKeyFile: join(dir, file) }).verify(token)).id).toBe(`jwt:${issuer}#svc-reporting`);
    }
    expect(() => createJwtVerifier({ issuer, audience, publicKeyFile: join(dir, 'private.jwk.json') })).toThrow(/holds no usable public key: it holds a private or symmetric key/);
  });

  it('needs exactly one readable key source', () => {
    expect(() => createJwtVerifier({ issuer, audience })).toThrow(/exactly one key source, got 0\. Fix: set JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE, not neither/);
    expect(() => createJwtVerifier({ issuer, audience, jwksUrl, publicKeyFile: join(dir, 'public.pem') })).toThrow(/got 2.*not both/);
    expect(() => createJwtVerifier({ issuer, audience, publicKeyFile: join(dir, 'missing.pem') })).toThrow(/Cannot read the JWT public key file .*missing\.pem.*Fix: point JWT_PUBLIC_KEY_FILE/);
  });

  it('refuses an expired token, saying when it expired', async () => {
    const exp = now() - 120;
    const message = await refusal(byPem, await sign({}, { exp }));
    expect(message).toContain(`JWT expired at ${new Date(exp * 1000).toISOString()}`);
    expect(message).toContain('clock tolerance 30 s');
    // Within the tolerance it still passes.
    expect(await byPem.verify(await sign({}, { exp: now() - 10 }))).toMatchObject({ name: 'svc-reporting' });
  });

  it('refuses a token not valid yet', async () => {
    const nbf = now() + 600;
    const token = await new SignJWT({ sub: 's', ...internalClaims }).setProtectedHeader({ alg: 'RS256' }).setIssuer(issuer).setAudience(audience).setNotBefore(nbf).setExpirationTime(nbf + 60).sign(signing.privateKey);
    expect(await refusal(byPem, token)).toContain(`JWT is not valid before ${new Date(nbf * 1000).toISOString()}`);
  });

  it('refuses a wrong issuer and a wrong audience, naming both sides', async () => {
    expect(await refusal(byPem, await sign({}, { iss: 'https://evil.test' }))).toContain('JWT issuer "https://evil.test" is not "https://issuer.test"');
    expect(await refusal(byJwks, await sign({}, { aud: 'billing-api' }))).toContain('JWT audience "billing-api" does not include "data-product-gateway"');
  });

  it('refuses a token whose signature does not verify', async () => {
    const forged = await sign({}, { key: stranger.privateKey });
    expect(await refusal(byPem, forged)).toContain(`JWT signature does not verify with the key in ${join(dir, 'public.pem')}`);
    expect(await refusal(byJwks, forged)).toContain(`JWT signature does not verify with the key set at ${jwksUrl}`);
    expect(await refusal(byJwks, await sign({}, { key: stranger.privateKey, kid: 'key-2' }))).toContain('JWT key id (kid) matches no key in the key set at');
    // A payload changed after signing.
    const [header, , signature] = (await sign({})).split('.');
    const widened = Buffer.from(JSON.stringify({ sub: 'svc-reporting', iss: issuer, aud: audience, exp: now() + 300, dpg_audience: 'INTERNAL', dpg_contracts: ['*'], dpg_rights: ['operate'] })).toString('base64url');
    expect(await refusal(byPem, `${header}.${widened}.${signature}`)).toContain('JWT signature does not verify');
  });

  it('refuses garbage and a symmetric algorithm', async () => {
    expect(await refusal(byPem, 'not-a-jwt')).toMatch(/^Bearer token is not a valid JWT \(.*\); a JWT is three base64url parts separated by dots/);
    expect(await refusal(byJwks, 'a.b.c')).toContain('is not a valid JWT');
    const hs = await new SignJWT({ sub: 's', ...internalClaims }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(new Uint8Array(32));
    expect(await refusal(byPem, hs)).toContain('JWT algorithm is not accepted (accepted: RS256');
  });

  it('refuses a token missing a claim, naming it', async () => {
    expect(await refusal(byPem, await sign({ dpg_audience: undefined }))).toContain('missing claim dpg_audience (expected "INTERNAL" or "PARTNER")');
    expect(await refusal(byPem, await sign({ dpg_contracts: undefined }))).toContain('missing claim dpg_contracts');
    expect(await refusal(byPem, await sign({ sub: undefined }))).toContain('missing claim sub');
    expect(await refusal(byPem, await sign({}, { exp: null }))).toContain('JWT is missing claim exp. Fix: the issuer must set exp (tokens must expire).');
    expect(await refusal(byPem, await sign({ dpg_audience: 'ADMIN', dpg_rights: 'operate' }))).toMatch(/claim dpg_audience is "ADMIN" \(expected "INTERNAL" or "PARTNER"\); claim dpg_rights is "operate"/);
  });

  it('holds token principals to the partner rules too', async () => {
    const message = await refusal(byPem, await sign({ dpg_audience: 'PARTNER', dpg_contracts: ['*'] }));
    expect(message).toContain('claim dpg_contracts is ["*"] for a PARTNER');
    expect(message).toContain('claim dpg_row_scope is missing for a PARTNER');
  });

  it('answers 503, retriable, when the key set cannot be fetched', async () => {
    const down = createJwtVerifier({ issuer, audience, jwksUrl: jwksUrl.replace('/.well-known/jwks.json', '/missing') });
    const error = await down.verify(await sign({})).catch((e: unknown) => e);
    expect(isAccessError(error, AccessErrorCode.VerifierUnavailable)).toBe(true);
    expect(error).toMatchObject({ httpStatus: 503, retriable: true, message: expect.stringContaining('JWT cannot be verified now: the key set at') });
  });
});
