import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrincipalStore, SessionStore } from '../access/index.js';
import { SESSION_COOKIE } from '../access/index.js';

/** Longest sign-in form body read: an API key and a field name. */
const MAX_FORM_BYTES = 4096;
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface CatalogSignIn {
  /** `POST /catalog/sign-in` (form: apiKey) and `POST /catalog/sign-out`. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  /** The sign-in page, with an optional error line. */
  sendPage(res: ServerResponse, status: number, error: string | null): void;
}

/**
 * Browser sign-in for the catalog: a steward pastes an API key once; the gateway answers with an
 * HttpOnly, SameSite=Strict session cookie (Secure behind HTTPS), so the key is never kept by the
 * page's scripts and the cookie is not sent by other sites' requests. The session holds only the
 * principal id: revoking the principal ends it.
 */
export function createCatalogSignIn(deps: { sessions: SessionStore; principals: Pick<PrincipalStore, 'authenticateApiKey'> }): CatalogSignIn {
  const sendPage = (res: ServerResponse, status: number, error: string | null) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Data Product Catalog</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.5rem;font:inherit}button{margin-top:.75rem;padding:.5rem 1rem;font:inherit}.error{color:#b00020}</style></head>
<body><h1>Data Product Catalog</h1><p>Sign in with your API key. It is checked once; the browser then keeps only a session cookie.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/catalog/sign-in"><label for="apiKey">API key</label><input id="apiKey" name="apiKey" type="password" autocomplete="off" required><button type="submit">Sign in</button></form></body></html>`);
  };

  const readForm = async (req: IncomingMessage): Promise<URLSearchParams | null> => {
    let text = '';
    for await (const chunk of req) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length > MAX_FORM_BYTES) return null;
    }
    return new URLSearchParams(text);
  };

  return {
    sendPage,
    async handle(req, res, path) {
      if (req.method !== 'POST') {
        if (path === '/catalog/sign-in' && req.method === 'GET') {
          sendPage(res, 200, null);
          return true;
        }
        return false;
      }
      const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
      if (path === '/catalog/sign-out') {
        const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
        if (id) await deps.sessions.destroy(id);
        res.writeHead(303, { location: '/catalog', 'set-cookie': `${SESSION_COOKIE}=; Path=/catalog; HttpOnly; SameSite=Strict; Max-Age=0${secure}` });
        res.end();
        return true;
      }
      if (path !== '/catalog/sign-in') return false;
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        sendPage(res, 415, 'Sign in with the form on this page (it posts application/x-www-form-urlencoded).');
        return true;
      }
      const form = await readForm(req);
      const key = form?.get('apiKey')?.trim() ?? '';
      if (!key) {
        sendPage(res, 400, 'Enter an API key.');
        return true;
      }
      const principal = await deps.principals.authenticateApiKey(key);
      if (!principal) {
        sendPage(res, 401, 'That API key is not valid (unknown or revoked).');
        return true;
      }
      const session = await deps.sessions.create(principal.id);
      res.writeHead(303, { location: '/catalog', 'set-cookie': `${SESSION_COOKIE}=${session}; Path=/catalog; HttpOnly; SameSite=Strict; Max-Age=${8 * 3600}${secure}` });
      res.end();
      return true;
    },
  };
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}
