import type { IncomingHttpHeaders } from 'node:http';
import { unauthenticated } from './AccessError.js';
import type { JwtVerifier } from './createJwtVerifier.js';
import type { PrincipalStore } from './createPrincipalStore.js';
import type { SessionStore } from './createSessionStore.js';
import { SESSION_COOKIE, sessionDigest } from './createSessionStore.js';
import { API_KEY_SHAPE, parseApiKey } from './parseApiKey.js';
import type { Principal } from './Principal.js';

export interface AuthenticatorDeps {
  store: Pick<PrincipalStore, 'authenticateApiKey' | 'getActive'>;
  /** Verifies bearer tokens that are not API keys. Default null: JWTs are refused, saying which settings enable them. */
  jwt?: JwtVerifier | null;
  /** Resolves the `dpg_session` cookie. Default null: the cookie is ignored. */
  sessions?: SessionStore | null;
}

export interface Authenticator {
  /** The principal the request proves, or an AccessError (401; 503 when a JWKS cannot be fetched). */
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
}

export const NO_CREDENTIAL_MESSAGE = 'No credential: send Authorization: Bearer <API key or JWT> (or X-Api-Key)';
export const INVALID_API_KEY_MESSAGE = 'API key is not valid (unknown or revoked)';

/**
 * Who is asking, from `Authorization: Bearer <API key | JWT>`, `X-Api-Key: <API key>` or the
 * session cookie. Unknown and revoked keys get one message, so a caller learns nothing about
 * which keys or principals exist. Messages never echo a credential.
 */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const { store } = deps;
  const jwt = deps.jwt ?? null;
  const sessions = deps.sessions ?? null;

  const byApiKey = async (key: string): Promise<Principal> => {
    if (!parseApiKey(key)) {
      throw unauthenticated(`API key is malformed: expected ${API_KEY_SHAPE}, got ${key.length} characters${key.startsWith('dpg_') ? '' : ' not starting with dpg_'}. Fix: send the key exactly as \`principals create\` printed it.`);
    }
    const principal = await store.authenticateApiKey(key);
    if (!principal) throw unauthenticated(`${INVALID_API_KEY_MESSAGE}. Fix: ask an operator for a current key.`);
    return principal;
  };
  const byBearer = async (token: string): Promise<Principal> => {
    if (token.startsWith('dpg_')) return byApiKey(token);
    if (!jwt) {
      throw unauthenticated('JWTs are not accepted here: no JWT issuer is configured (the bearer token does not start with dpg_, so it is not an API key). Fix: send an API key, or have the operator set JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE.');
    }
    return jwt.verify(token);
  };
  const bySession = async (sessionId: string): Promise<Principal | null> => {
    const principalId = await sessions?.resolve(sessionId);
    if (!principalId) return null;
    return store.getActive(principalId, { kind: 'session', prefix: sessionDigest(sessionId).slice(0, 8) });
  };

  return {
    async authenticate(headers) {
      const bearer = readBearer(headers.authorization);
      const apiKey = single(headers['x-api-key']);
      const sessionId = sessions ? readCookie(headers.cookie, SESSION_COOKIE) : undefined;
      if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) {
        throw unauthenticated('Two different credentials, in Authorization and X-Api-Key: send one.');
      }
      let principal: Principal | null = null;
      if (bearer !== undefined) principal = await byBearer(bearer);
      else if (apiKey !== undefined) principal = await byApiKey(apiKey);
      if (sessionId !== undefined) {
        const fromSession = await bySession(sessionId);
        // A stale cookie beside a valid header proves nothing either way; a live one must agree.
        if (principal && fromSession && fromSession.id !== principal.id) {
          throw unauthenticated(`Two credentials for different principals, the ${SESSION_COOKIE} cookie and the ${bearer !== undefined ? 'Authorization' : 'X-Api-Key'} header: send one.`);
        }
        if (!principal && !fromSession) throw unauthenticated(`Session is not valid (expired, signed out, or its principal revoked). Fix: sign in again, or send Authorization: Bearer <API key or JWT>.`);
        principal ??= fromSession;
      }
      if (!principal) throw unauthenticated(NO_CREDENTIAL_MESSAGE);
      return principal;
    },
  };
}

/** The bearer token, undefined when there is no Authorization header; any other scheme is refused by name. */
function readBearer(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^(\S+)(?:\s+(\S+))?\s*$/.exec(header.trim());
  const scheme = match?.[1] ?? '';
  if (!match || scheme.toLowerCase() !== 'bearer') {
    throw unauthenticated(`Authorization scheme ${JSON.stringify(scheme.slice(0, 20))} is not supported. Fix: send Authorization: Bearer <API key or JWT>.`);
  }
  if (match[2] === undefined) throw unauthenticated('Authorization: Bearer has no token. Fix: send Authorization: Bearer <API key or JWT>.');
  return match[2];
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
