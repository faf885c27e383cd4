import { ProsperError } from '../errors.js';
import type { WebRequest } from './http.js';
import { parseCookies } from './http.js';
import type { WebAccounts, WebUser } from './ports.js';
import { SESSION_COOKIE, SessionStore, type Session } from './sessions.js';

export interface Caller {
  session: Session;
  user: WebUser;
}

/** The logged-in caller, or null. The user is read again so a role change applies at once. */
export async function findCaller(req: WebRequest, sessions: SessionStore, accounts: WebAccounts): Promise<Caller | null> {
  const session = sessions.fromCookie(parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE));
  if (!session) return null;
  const user = await accounts.findUser(session.email);
  if (!user) {
    sessions.destroy(session.id);
    return null;
  }
  return { session, user };
}

export async function requireUser(req: WebRequest, sessions: SessionStore, accounts: WebAccounts): Promise<Caller> {
  const caller = await findCaller(req, sessions, accounts);
  if (!caller) throw new ProsperError('PROSPER_E_WEB_AUTH', 'log in first');
  return caller;
}

export async function requireAdmin(req: WebRequest, sessions: SessionStore, accounts: WebAccounts): Promise<Caller> {
  const caller = await requireUser(req, sessions, accounts);
  if (caller.user.role !== 'admin') throw new ProsperError('PROSPER_E_WEB_FORBIDDEN', 'admins only');
  return caller;
}

/**
 * A browser only sends Origin on cross-origin (and some same-origin) requests; when present
 * it must name this host, which stops forms and scripts on other sites.
 */
export function requireSameOrigin(req: WebRequest): void {
  const origin = req.headers.get('origin');
  if (origin === undefined || origin === '') return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new ProsperError('PROSPER_E_WEB_ORIGIN', 'bad Origin header');
  }
  if (host !== req.headers.get('host')) throw new ProsperError('PROSPER_E_WEB_ORIGIN', 'cross-origin request refused');
}

/** JSON only: an HTML form cannot send it cross-site without a CORS preflight, which we never allow. */
export function requireJson(req: WebRequest): void {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new ProsperError('PROSPER_E_WEB_CONTENT_TYPE', 'Content-Type must be application/json');
}

/** Every state-changing request of a logged-in user carries the session's token in X-CSRF-Token. */
export function requireCsrf(req: WebRequest, caller: Caller): void {
  requireSameOrigin(req);
  if (!SessionStore.csrfMatches(caller.session, req.headers.get('x-csrf-token'))) {
    throw new ProsperError('PROSPER_E_WEB_CSRF', 'missing or wrong X-CSRF-Token');
  }
}

/**
 * Matches a GET route with parameters under `prefix` (`pattern` applies to the rest of the path):
 * null when the path is not under the prefix; other methods and unknown sub-paths are refused.
 */
export function matchGetUnder(req: WebRequest, prefix: string, pattern: RegExp): RegExpExecArray | null {
  if (!req.path.startsWith(prefix)) return null;
  if (req.method !== 'GET') throw new ProsperError('PROSPER_E_WEB_METHOD', `${req.method} is not allowed on ${prefix}`);
  const m = pattern.exec(req.path.slice(prefix.length));
  if (!m) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no such page or API');
  return m;
}
