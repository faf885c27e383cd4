import { ProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import { requireAdmin, requireCsrf, requireJson, requireUser } from './guards.js';
import { jsonReply } from './http.js';
import { parseJsonObject } from './validate.js';

/** The payout scheme's state and the users' own payout thresholds (absent where no pool store backs the web). */
export interface WebPayoutData {
  /** The scheme, the PPS reserve with its floor and risk of ruin, as JSON (accounting payoutFiguresJson). */
  figures(): Promise<Record<string, unknown>>;
  /** { minPayout: the user's own or null, poolMinimum, effective } in PEG. */
  threshold(userId: bigint): Promise<{ minPayout: string | null; poolMinimum: string; effective: string }>;
  /** Sets ("" or null: clears) the user's threshold; below the pool's minimum is PROSPER_E_ACCOUNTING_THRESHOLD. */
  setThreshold(userId: bigint, text: unknown): Promise<void>;
}

function payoutData(ctx: WebContext): WebPayoutData {
  const p = ctx.ports.payouts;
  if (!p) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'this web has no pool payouts behind it');
  return p;
}

/** The admin's PPS reserve panel and the account page's payout threshold. */
export function payoutRoutes(ctx: WebContext, routes: RouteTable): void {
  const { accounts } = ctx.ports;

  routes.set('GET /api/admin/payout-scheme', async (req) => {
    await requireAdmin(req, ctx.sessions, accounts);
    return jsonReply(200, await payoutData(ctx).figures());
  });

  routes.set('GET /api/me/payout-threshold', async (req) => {
    const caller = await requireUser(req, ctx.sessions, accounts);
    return jsonReply(200, await payoutData(ctx).threshold(caller.user.id));
  });

  routes.set('POST /api/me/payout-threshold', async (req) => {
    const caller = await requireUser(req, ctx.sessions, accounts);
    requireCsrf(req, caller);
    requireJson(req);
    const body = parseJsonObject(req.body);
    const data = payoutData(ctx);
    await data.setThreshold(caller.user.id, body.minPayout ?? null);
    return jsonReply(200, { ok: true, ...(await data.threshold(caller.user.id)) });
  });
}
