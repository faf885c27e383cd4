import type { RouteTable, WebContext } from './context.js';
import { requireAdmin, requireCsrf, requireJson } from './guards.js';
import { jsonReply } from './http.js';
import { SUBMISSION_COLUMNS, type ConnectedMinerView, type HashrateFigure } from './ports.js';
import { intParam, parseJsonObject, parsePageQuery, jobIdParam } from './validate.js';

export const MAX_INVITES_PER_REQUEST = 100;

/** Each session's hashrate: its miner's figure (the sessions of one miner share it), by "email/miner". */
async function sessionFigures(ctx: WebContext, sessions: readonly ConnectedMinerView[]): Promise<Map<string, HashrateFigure>> {
  const out = new Map<string, HashrateFigure>();
  for (const email of new Set(sessions.filter((s) => s.authorized).map((s) => s.email.toLowerCase()))) {
    const user = await ctx.ports.accounts.findUser(email);
    if (!user) continue;
    for (const m of await ctx.ports.users.miners(user.id, user.email)) out.set(`${email}/${m.name}`, m.hashrate);
  }
  return out;
}

/** Admin-only APIs: every one checks the role first, so a user gets 403 and a visitor 401. */
export function adminRoutes(ctx: WebContext, routes: RouteTable): void {
  const { accounts, admin, pool } = ctx.ports;
  const guard = (req: Parameters<typeof requireAdmin>[0]) => requireAdmin(req, ctx.sessions, accounts);

  routes.set('GET /api/admin/miners', async (req) => {
    await guard(req);
    const miners = await admin.connectedMiners();
    const figures = await sessionFigures(ctx, miners);
    return jsonReply(200, {
      total: miners.length,
      miners: miners.map((m) => ({ ...m, target: m.target.toString(16).padStart(16, '0'), hashrate: figures.get(`${m.email.toLowerCase()}/${m.miner}`) ?? null })),
    });
  });

  routes.set('GET /api/admin/users', async (req) => {
    await guard(req);
    return jsonReply(200, { users: await admin.users() });
  });

  routes.set('GET /api/admin/invites', async (req) => {
    await guard(req);
    return jsonReply(200, { invites: await admin.inviteCodes() });
  });

  routes.set('POST /api/admin/invites', async (req) => {
    const caller = await guard(req);
    requireCsrf(req, caller);
    requireJson(req);
    const body = parseJsonObject(req.body);
    const count = Math.max(1, intParam(body.count, 'count', 1, MAX_INVITES_PER_REQUEST));
    const codes = await admin.createInviteCodes(count);
    ctx.log.info({ admin: caller.user.email, count }, 'invite codes created on the web');
    return jsonReply(200, { codes });
  });

  routes.set('GET /api/admin/bans', async (req) => {
    await guard(req);
    return jsonReply(200, { bans: await admin.bans() });
  });

  routes.set('GET /api/admin/submissions', async (req) => {
    await guard(req);
    const q = parsePageQuery({ limit: req.query.get('limit'), offset: req.query.get('offset'), order: req.query.get('order'), column: req.query.get('column') }, SUBMISSION_COLUMNS);
    return jsonReply(200, await pool.submissions(q, jobIdParam(req.query.get('jobid'), 'jobid')));
  });

  routes.set('GET /api/admin/edges', async (req) => {
    await guard(req);
    const edges = await admin.edges();
    return jsonReply(200, { total: edges.length, sessions: edges.reduce((n, e) => n + e.sessions, 0), edges });
  });

  routes.set('GET /api/admin/payouts', async (req) => {
    await guard(req);
    return jsonReply(200, { batches: await admin.payoutBatches() });
  });
}

/** Every admin route, for tests that must prove each one refuses users. */
export const ADMIN_ROUTES = [
  'GET /api/admin/miners', 'GET /api/admin/users', 'GET /api/admin/invites', 'POST /api/admin/invites',
  'GET /api/admin/bans', 'GET /api/admin/submissions', 'GET /api/admin/payouts', 'GET /api/admin/edges', 'GET /api/admin/payout-scheme',
] as const;
