import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet, JWK, JWTPayload, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { PlatformError, PlatformErrorCode } from '../../platform/errors/index.js';
import { AccessError, AccessErrorCode, unauthenticated } from './AccessError.js';
import type { Principal } from './Principal.js';
import { checkGrants } from './validatePrincipalSpec.js';

export interface JwtVerifierOptions {
  /** Required `iss`, exactly (JWT_ISSUER). */
  issuer: string;
  /** Required in `aud` (JWT_AUDIENCE): a token minted for another service is refused. */
  audience: string;
  /** The issuer's JWKS endpoint (JWT_JWKS_URL); keys are fetched and cached by jose, refetched on an unknown `kid`. */
  jwksUrl?: string;
  /** A file holding the public key (JWT_PUBLIC_KEY_FILE): PEM SPKI, one JWK, or a JWKS (JSON). Exactly one of `jwksUrl` / `publicKeyFile`. */
  publicKeyFile?: string;
  /** Allowed clock skew for `exp` and `nbf`. Default 30 seconds: real clocks drift, 30 s does not extend a stolen token meaningfully. */
  clockToleranceSeconds?: number;
  /**
   * Accepted `alg` values. Default: the asymmetric ones (RS*, PS*, ES*, EdDSA, Ed25519). HMAC
   * (`HS*`) is excluded: a shared secret would let every verifier mint tokens.
   */
  algorithms?: readonly string[];
}

export interface JwtVerifier {
  /** The token's principal; throws AccessError (401, or 503 when the key set cannot be fetched) saying what was wrong. */
  verify(token: string): Promise<Principal>;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** The claims the gateway reads; the grant rules themselves are `checkGrants`, shared with stored principals. */
const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1).optional(),
  dpg_audience: z.enum(['INTERNAL', 'PARTNER']),
  dpg_contracts: z.array(z.string()),
  dpg_rights: z.array(z.string()).default([]),
  dpg_row_scope: z.record(z.string(), z.array(z.string())).optional(),
});
const claimExpectations: Record<string, string> = {
  sub: 'a non-empty string (the subject)',
  name: 'a non-empty string',
  dpg_audience: '"INTERNAL" or "PARTNER"',
  dpg_contracts: 'a list of contract versions like ["partner_order_status/v1"], or ["*"]',
  dpg_rights: 'a list of rights (operate, export, steward)',
  dpg_row_scope: 'an object of dimension to values, like {"salesChannel":["MARKETPLACE"]}',
};
const CLAIM_FIELDS = { audience: 'claim dpg_audience', contracts: 'claim dpg_contracts', rights: 'claim dpg_rights', rowScope: 'claim dpg_row_scope' };

/**
 * Verifies JWTs from one issuer with `jose` (DESIGN §9) and maps their claims to a Principal
 * (`jwt:<iss>#<sub>`). A token must carry `exp`: a token that never expires cannot be revoked.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const { issuer, audience } = options;
  const sources = [options.jwksUrl, options.publicKeyFile].filter((s) => s !== undefined && s !== '');
  if (sources.length !== 1) {
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, `A JWT verifier needs exactly one key source, got ${sources.length}. Fix: set JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE, not ${sources.length === 0 ? 'neither' : 'both'}.`);
  }
  const keySource = options.jwksUrl ? `the key set at ${options.jwksUrl}` : `the key in ${options.publicKeyFile}`;
  const key: KeyObject | JWTVerifyGetKey = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : readKeyFile(options.publicKeyFile!);
  const algorithms = [...(options.algorithms ?? ASYMMETRIC_ALGORITHMS)];
  const clockTolerance = options.clockToleranceSeconds ?? 30;

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        // `key` is either a KeyObject or a key-set getter; jose's overloads take them apart.
        ({ payload } = typeof key === 'function'
          ? await jwtVerify(token, key, { issuer, audience, algorithms, clockTolerance, requiredClaims: ['exp'] })
          : await jwtVerify(token, key, { issuer, audience, algorithms, clockTolerance, requiredClaims: ['exp'] }));
      } catch (error) {
        throw describeJoseError(error, { issuer, audience, keySource, remote: Boolean(options.jwksUrl), algorithms, clockTolerance });
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) {
        const messages = claims.error.issues.map((issue) => {
          const claim = String(issue.path[0] ?? '?');
          const received = (payload as Record<string, unknown>)[claim];
          const expected = claimExpectations[claim] ?? 'a valid value';
          return received === undefined ? `missing claim ${claim} (expected ${expected})` : `claim ${claim} is ${JSON.stringify(received)} (expected ${expected})`;
        });
        throw unauthenticated(`JWT from ${issuer} is not usable here: ${[...new Set(messages)].join('; ')}. Fix: have the issuer add the dpg_* claims to the token.`);
      }
      const { sub, name, dpg_audience, dpg_contracts, dpg_rights, dpg_row_scope } = claims.data;
      const grants = checkGrants({ audience: dpg_audience, contracts: dpg_contracts, rights: dpg_rights, rowScope: dpg_row_scope ?? null }, CLAIM_FIELDS);
      if (!grants.ok) throw unauthenticated(`JWT from ${issuer} grants what the gateway refuses: ${grants.problems.map((p) => p.message).join(' ')}`);
      return { id: `jwt:${issuer}#${sub}`, name: name ?? sub, ...grants.value, credential: { kind: 'jwt', issuer, subject: sub } };
    },
  };
}

/** PEM SPKI, or JSON holding one JWK or a JWKS. Read once, at start: a bad file fails the start, not a request. */
function readKeyFile(path: string): KeyObject | JWTVerifyGetKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, `Cannot read the JWT public key file ${path}: ${(cause as Error).message}. Fix: point JWT_PUBLIC_KEY_FILE at a readable PEM (SPKI) or JWK/JWKS JSON file.`, { cause });
  }
  try {
    if (text.trimStart().startsWith('{')) {
      const json = JSON.parse(text) as JSONWebKeySet | JWK;
      const set: JSONWebKeySet = 'keys' in json && Array.isArray(json.keys) ? json : { keys: [json as JWK] };
      if (set.keys.some((k) => k.d !== undefined || k.kty === 'oct')) throw new Error('it holds a private or symmetric key; give the public key only');
      return createLocalJWKSet(set);
    }
    const keyObject = createPublicKey(text);
    return keyObject;
  } catch (cause) {
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, `JWT public key file ${path} holds no usable public key: ${(cause as Error).message}. Fix: export the issuer's public key as PEM (-----BEGIN PUBLIC KEY-----) or as JWK/JWKS JSON.`, { cause });
  }
}

/** Says precisely what was wrong with a token, without echoing it. */
function describeJoseError(error: unknown, context: { issuer: string; audience: string; keySource: string; remote: boolean; algorithms: readonly string[]; clockTolerance: number }): AccessError {
  const at = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds));
  if (error instanceof errors.JWTExpired) {
    return unauthenticated(`JWT expired at ${at(error.payload.exp)} (now ${new Date().toISOString()}, clock tolerance ${context.clockTolerance} s). Fix: get a fresh token from ${context.issuer}.`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = error;
    if (reason === 'missing') return unauthenticated(`JWT is missing claim ${claim}. Fix: the issuer must set ${claim}${claim === 'exp' ? ' (tokens must expire)' : ''}.`);
    if (claim === 'iss') return unauthenticated(`JWT issuer ${JSON.stringify(payload.iss)} is not ${JSON.stringify(context.issuer)}. Fix: use a token from ${context.issuer}, or set JWT_ISSUER to its issuer.`);
    if (claim === 'aud') return unauthenticated(`JWT audience ${JSON.stringify(payload.aud)} does not include ${JSON.stringify(context.audience)}. Fix: request a token for audience ${JSON.stringify(context.audience)}.`);
    if (claim === 'nbf') return unauthenticated(`JWT is not valid before ${at(payload.nbf)} (now ${new Date().toISOString()}, clock tolerance ${context.clockTolerance} s). Fix: check the clocks of the issuer and the caller.`);
    if (claim === 'iat') return unauthenticated(`JWT claim iat is ${JSON.stringify(payload.iat)}, not a time in the past. Fix: check the issuer's clock.`);
    return unauthenticated(`JWT claim ${claim} failed validation (${reason}). Fix: get a correct token from ${context.issuer}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated(`JWT signature does not verify with ${context.keySource}. Fix: use a token signed by ${context.issuer}; if its keys changed, update the configured key.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated(`JWT algorithm is not accepted (accepted: ${context.algorithms.join(', ')}). Fix: the issuer must sign with an asymmetric algorithm.`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated(`JWT key id (kid) matches no key in ${context.keySource}. Fix: use a token signed by ${context.issuer} with a current key.`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return unauthenticated(`Bearer token is not a valid JWT (${error.message}); a JWT is three base64url parts separated by dots, and an API key starts with dpg_. Fix: send the token exactly as issued.`);
  }
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JWKInvalid) {
    return unauthenticated(`JWT cannot be checked: ${error.message}. Fix: the issuer must sign with one of ${context.algorithms.join(', ')}.`);
  }
  // The key set could not be fetched (timeout, network, bad response): not the caller's fault.
  if (context.remote && (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC')) {
    return new AccessError(AccessErrorCode.VerifierUnavailable, `JWT cannot be verified now: ${context.keySource} is unavailable (${(error as Error).message}). Retry later.`, { cause: error });
  }
  // What is left is a token that does not fit the key (e.g. an RSA algorithm against an EC key).
  return unauthenticated(`JWT cannot be checked with ${context.keySource} (${(error as Error).message}). Fix: use a token signed by ${context.issuer}.`, error);
}
