/**
 * The public site's APIs: hashrate history from the store (charts that span restarts), the
 * leaderboard by public handle, a miner's public page, and the user's own handle.
 */
import { ProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import { matchGetUnder, requireCsrf, requireJson, requireUser } from './guards.js';
import { checkHandle } from './handle.js';
import { jsonReply, type WebReply, type WebRequest } from './http.js';
import { HISTORY_RANGES, type HistoryRange, type HistorySpan, type WebSiteData } from './ports-site.js';
import { expectedPerDay } from './site-sql.js';
import { parseJsonObject } from './validate.js';

const MINER_PREFIX = '/api/miner/';
/** `<handle>` or `<handle>/history`. */
const MINER_PATH = /^([^/]{1,64})(\/history)?$/;
export const MINER_ROUTE_LABEL = 'GET /api/miner/:handle';
const WORKER_NAME = /^[A-Za-z0-9._-]{0,64}$/;

export function siteData(ctx: WebContext): WebSiteData {
  const site = ctx.ports.site;
  if (!site) throw new ProsperError('PROSPER_E_WEB_UNSUPPORTED', 'history and handles need the pool database');
  return site;
}

/** `range` of a history request: 1h (the default), 24h, 7d or 30d. */
export function historySpan(raw: string | null, now: number): HistorySpan & { range: HistoryRange } {
  const range = (raw === null || raw === '' ? '1h' : raw) as HistoryRange;
  if (!Object.hasOwn(HISTORY_RANGES, range)) throw new ProsperError('PROSPER_E_WEB_RANGE', `range must be one of: ${Object.keys(HISTORY_RANGES).join(', ')}`);
  const r = HISTORY_RANGES[range];
  return { range, sinceMs: now - r.seconds * 1000, stepSeconds: r.stepSeconds };
}

/** `worker` of a history request (absent: the user's total). */
export function workerParam(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  if (!WORKER_NAME.test(raw)) throw new ProsperError('PROSPER_E_WEB_PARAM', 'worker must be up to 64 characters of A-Z a-z 0-9 . _ -');
  return raw;
}

export function siteRoutes(ctx: WebContext, routes: RouteTable): void {
  routes.set('GET /api/pool/history', async (req) => {
    const span = historySpan(req.query.get('range'), ctx.now());
    return jsonReply(200, { range: span.range, stepSeconds: span.stepSeconds, points: await siteData(ctx).poolHistory(span) });
  });

  routes.set('GET /api/miners', async () => jsonReply(200, { miners: await siteData(ctx).leaderboard() }));

  routes.set('GET /api/me/handle', async (req) => {
    const { user } = await requireUser(req, ctx.sessions, ctx.ports.accounts);
    return jsonReply(200, { handle: await siteData(ctx).handleOf(user.id) });
  });

  // {"handle": "name"} sets it, {"handle": null} clears it.
  routes.set('POST /api/me/handle', async (req) => {
    const caller = await requireUser(req, ctx.sessions, ctx.ports.accounts);
    requireCsrf(req, caller);
    requireJson(req);
    const raw = parseJsonObject(req.body).handle;
    const handle = raw === null ? null : checkHandle(raw);
    const outcome = await siteData(ctx).setHandle(caller.user.id, handle);
    if (outcome === 'taken') throw new ProsperError('PROSPER_E_WEB_HANDLE_TAKEN', 'another user has this handle');
    if (outcome === 'no-user') throw new ProsperError('PROSPER_E_WEB_AUTH', 'log in first');
    return jsonReply(200, { ok: true, handle });
  });
}

/** Answers GET /api/miner/<handle>[/history]; null when the request is not for this prefix. */
export async function minerRoute(ctx: WebContext, req: WebRequest): Promise<WebReply | null> {
  const m = matchGetUnder(req, MINER_PREFIX, MINER_PATH);
  if (!m) return null;
  const site = siteData(ctx);
  const found = await site.findHandle(checkHandle(m[1]));
  if (!found) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no miner has this handle');
  if (m[2]) {
    const span = historySpan(req.query.get('range'), ctx.now());
    const points = await site.userHistory(found.userId, span, workerParam(req.query.get('worker')));
    return jsonReply(200, { handle: found.handle, range: span.range, stepSeconds: span.stepSeconds, points });
  }
  return jsonReply(200, await minerSummary(ctx, found));
}

/** A miner's public page: hashrate, workers, earnings per block, payments (never the email or addresses). */
async function minerSummary(ctx: WebContext, found: { userId: bigint; handle: string; email: string }) {
  const { users } = ctx.ports;
  const [hashrate, miners, earnings, payouts] = await Promise.all([
    users.hashrate(found.userId),
    users.miners(found.userId, found.email),
    users.earnings(found.userId, { limit: 50, offset: 0, order: 'desc', column: 'job_id' }),
    users.payouts(found.userId),
  ]);
  const sql = ctx.ports.site?.sql;
  return {
    handle: found.handle, hashrate,
    expectedPerDay: sql ? expectedPerDay(hashrate, await sql.pegPerHash(new Date(ctx.now()))) : null,
    workers: miners.map((w) => ({ name: w.name, hashrate: w.hashrate, lastShareAt: w.lastShareAt, connected: w.connected })),
    earnings: earnings.data,
    payments: payouts.map((p) => ({ batchId: p.batchId, status: p.status, amount: p.amount, createdAt: p.createdAt, entryHash: p.entryHash })),
  };
}
