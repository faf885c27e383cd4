import { isProsperError, ProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import { findCaller, requireCsrf, requireJson, requireSameOrigin, requireUser } from './guards.js';
import { jsonReply, type WebReply } from './http.js';
import { EARNING_COLUMNS, type WebUser } from './ports.js';
import { SESSION_COOKIE } from './sessions.js';
import { intParam, parseJsonObject, parsePageQuery, stringField } from './validate.js';

export const MIN_NEW_PASSWORD = 8;
const MAX_PASSWORD = 1024;

function userJson(u: WebUser) {
  return { id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress };
}

function sessionCookie(ctx: WebContext, value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${ctx.config.secureCookies ? '; Secure' : ''}`;
}

/**
 * Log in with the email and password registered over Stratum (there is no web sign-up: an
 * account only exists once a miner claimed an invite code), log out, and the user's own data.
 */
export function accountRoutes(ctx: WebContext, routes: RouteTable): void {
  const { accounts, users } = ctx.ports;
  const { sessions, loginGuard } = ctx;

  routes.set('GET /api/session', async (req) => {
    const caller = await findCaller(req, sessions, accounts);
    return jsonReply(200, caller ? { user: userJson(caller.user), csrf: caller.session.csrf } : { user: null, csrf: null });
  });

  routes.set('POST /api/login', async (req): Promise<WebReply> => {
    requireSameOrigin(req);
    requireJson(req);
    const body = parseJsonObject(req.body);
    const email = stringField(body, 'email', 254).trim().toLowerCase();
    const password = stringField(body, 'password', MAX_PASSWORD);
    let user: WebUser | null;
    try {
      // The attempt is counted before the password is hashed, so a parallel burst cannot outrun the limit.
      user = await loginGuard.attempt({ ip: req.ip, account: email }, async () => {
        const found = await accounts.login(email, password);
        return { value: found, outcome: found ? 'right' : 'wrong' };
      });
    } catch (err) {
      if (isProsperError(err, 'PROSPER_E_AUTH_RATE_LIMIT')) ctx.metrics.loginFailures.inc();
      throw err;
    }
    if (!user) {
      ctx.metrics.loginFailures.inc();
      throw new ProsperError('PROSPER_E_WEB_LOGIN', 'email or password is wrong');
    }
    const { session, cookieValue } = sessions.create(user.email);
    ctx.log.info({ email: user.email, ip: req.ip }, 'web login');
    return jsonReply(200, { user: userJson(user), csrf: session.csrf }, { cookies: [sessionCookie(ctx, cookieValue, ctx.config.sessionTtlSeconds)] });
  });

  routes.set('POST /api/logout', async (req) => {
    const caller = await requireUser(req, sessions, accounts);
    requireCsrf(req, caller);
    sessions.destroy(caller.session.id);
    return jsonReply(200, { ok: true }, { cookies: [sessionCookie(ctx, '', 0)] });
  });

  routes.set('GET /api/me', async (req) => {
    const { user } = await requireUser(req, sessions, accounts);
    const [balance, hashrate, creditKey] = await Promise.all([
      users.balance(user.id), users.hashrate(user.id), ctx.ports.credit ? ctx.ports.credit.creditKey(user.id) : null,
    ]);
    return jsonReply(200, { user: userJson(user), balance, hashrate, creditKey });
  });

  routes.set('GET /api/me/miners', async (req) => {
    const { user } = await requireUser(req, sessions, accounts);
    return jsonReply(200, { miners: await users.miners(user.id, user.email) });
  });

  routes.set('GET /api/me/earnings', async (req) => {
    const { user } = await requireUser(req, sessions, accounts);
    const q = parsePageQuery({ limit: req.query.get('limit'), offset: req.query.get('offset'), order: req.query.get('order'), column: req.query.get('column') }, EARNING_COLUMNS);
    return jsonReply(200, await users.earnings(user.id, q));
  });

  routes.set('GET /api/me/payouts', async (req) => {
    const { user } = await requireUser(req, sessions, accounts);
    return jsonReply(200, { payouts: await users.payouts(user.id) });
  });

  routes.set('POST /api/me/password', async (req) => {
    const caller = await requireUser(req, sessions, accounts);
    requireCsrf(req, caller);
    requireJson(req);
    const body = parseJsonObject(req.body);
    const current = stringField(body, 'current', MAX_PASSWORD);
    const next = stringField(body, 'next', MAX_PASSWORD);
    if (next.length < MIN_NEW_PASSWORD) throw new ProsperError('PROSPER_E_WEB_PARAM', `the new password needs at least ${MIN_NEW_PASSWORD} characters`);
    // Checking `current` is a password check like a login: counted by the same guard, so a stolen
    // session cannot guess its way to a password change.
    const wrong = await loginGuard.attempt({ ip: req.ip, account: caller.user.email }, async () => {
      try {
        await accounts.changePassword(caller.user.email, current, next);
        return { value: null, outcome: 'right' };
      } catch (err) {
        if (isProsperError(err, 'PROSPER_E_WEB_PASSWORD')) return { value: err, outcome: 'wrong' };
        throw err;
      }
    });
    if (wrong) throw wrong;
    // Anyone holding another session of this account (a stolen cookie) is logged out.
    sessions.destroyUser(caller.user.email, caller.session.id);
    return jsonReply(200, { ok: true });
  });

  routes.set('POST /api/me/payout-address', async (req) => {
    const caller = await requireUser(req, sessions, accounts);
    requireCsrf(req, caller);
    requireJson(req);
    const address = stringField(parseJsonObject(req.body), 'address', 128).trim();
    await accounts.setPayoutAddress(caller.user.id, address);
    return jsonReply(200, { ok: true, payoutAddress: address });
  });
}
