/**
 * The site's pages (HTML shells filled by their scripts from the JSON API beside them) and the
 * APIs only they use: blocks with their detail, public payments, network, the pool's terms.
 */
import { ProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import { findCaller, requireUser } from './guards.js';
import { checkHandle } from './handle.js';
import { jsonReply, type WebReply, type WebRequest } from './http.js';
import { networkHashrate, poolShare } from './network-figures.js';
import { historySpan, siteData, workerParam } from './routes-site.js';
import type { StaticAssets } from './static-assets.js';
import { intParam, uint64Param } from './validate.js';

/** Public pages: path to page (page-layout.ts). */
const PUBLIC_PAGES: Record<string, string> = {
  '/': 'dashboard', '/start': 'start', '/blocks': 'blocks', '/miners': 'miners', '/payments': 'payments', '/network': 'network',
};
const BLOCK_PAGE = /^\/blocks\/(\d{1,12})$/;
const MINER_PAGE = /^\/miner\/([^/]{1,64})$/;
const BLOCK_API = /^\/api\/blocks\/([^/]{1,40})$/;
export const BLOCK_ROUTE_LABEL = 'GET /api/blocks/:height';
const PAYMENTS_SHOWN = 100;

function siteSql(ctx: WebContext) {
  const sql = siteData(ctx).sql;
  if (!sql) throw new ProsperError('PROSPER_E_WEB_UNSUPPORTED', 'blocks and payments need the pool database');
  return sql;
}

export function pageRoutes(ctx: WebContext, routes: RouteTable, assets: StaticAssets): void {
  for (const [path, file] of Object.entries(PUBLIC_PAGES)) routes.set(`GET ${path}`, async () => assets.page(file));

  // Signed out, the account and admin pages are the login page (which comes back here once logged in).
  routes.set('GET /account', async (req) => assets.page((await findCaller(req, ctx.sessions, ctx.ports.accounts)) ? 'account' : 'login'));
  routes.set('GET /admin', async (req) => {
    const caller = await findCaller(req, ctx.sessions, ctx.ports.accounts);
    if (!caller) return assets.page('login');
    if (caller.user.role !== 'admin') throw new ProsperError('PROSPER_E_WEB_FORBIDDEN', 'admins only');
    return assets.page('admin');
  });

  routes.set('GET /api/pool/info', async () => {
    const info = siteData(ctx).info;
    if (!info) throw new ProsperError('PROSPER_E_WEB_UNSUPPORTED', 'the pool terms are only known to a pool');
    // No schedule key: payouts are the operator's (db payout, payout-cli pay, db record); their history tells the cadence.
    const cadence = siteData(ctx).sql ? await siteSql(ctx).payoutCadence() : null;
    return jsonReply(200, { ...info, payouts: cadence });
  });

  routes.set('GET /api/blocks', async (req) => {
    const limit = intParam(req.query.get('limit'), 'limit', 25, 100) || 25;
    const offset = intParam(req.query.get('offset'), 'offset', 0, 10_000_000);
    return jsonReply(200, await siteSql(ctx).blocks(limit, offset));
  });

  routes.set('GET /api/payments', async () => jsonReply(200, { batches: await siteSql(ctx).payments(PAYMENTS_SHOWN) }));

  routes.set('GET /api/network', async () => {
    const { pool } = ctx.ports;
    const [stats, sync, network, health, errors] = await Promise.all([pool.poolStats(), pool.submitSync(), siteSql(ctx).network(), pool.datasourceHealth(), ctx.metrics.datasourceErrors.get()]);
    // Errors each price source had since the pool started (the /metrics counter) beside its health.
    const errorCounts = new Map(errors.values.map((v) => [String(v.labels.source), v.value]));
    const g = network.lastGraded;
    const poolRate = stats.hashrate.value;
    const networkRate = g ? networkHashrate(poolRate, g) : null;
    return jsonReply(200, {
      syncHeight: stats.syncHeight, headHeight: stats.headHeight, syncLag: stats.headHeight > 0 ? Math.max(0, stats.headHeight - (network.syncedHeight ?? stats.syncHeight)) : null,
      networkDifficulty: stats.networkDifficulty, ema: stats.ema, ecBalance: stats.ecBalance, currentJob: stats.currentJob, submitSync: sync,
      poolHashrate: poolRate, networkHashrate: networkRate, poolShare: networkRate === null ? null : poolShare(poolRate, networkRate),
      datasources: health.map((h) => ({ ...h, errors: errorCounts.get(h.source) ?? 0 })), ...network,
    });
  });

  routes.set('GET /api/me/history', async (req) => {
    const { user } = await requireUser(req, ctx.sessions, ctx.ports.accounts);
    const span = historySpan(req.query.get('range'), ctx.now());
    const worker = workerParam(req.query.get('worker'));
    return jsonReply(200, { range: span.range, stepSeconds: span.stepSeconds, points: await siteData(ctx).userHistory(user.id, span, worker) });
  });
}

/** GET /blocks/<height>, /miner/<handle> and /api/blocks/<height>; null when the path is none of them. */
export async function pagePrefixRoute(ctx: WebContext, req: WebRequest, assets: StaticAssets): Promise<WebReply | null> {
  const api = BLOCK_API.exec(req.path);
  const block = BLOCK_PAGE.exec(req.path);
  const miner = MINER_PAGE.exec(req.path);
  if (!api && !block && !miner) return null;
  if (req.method !== 'GET') throw new ProsperError('PROSPER_E_WEB_METHOD', `${req.method} is not allowed on ${req.path}`);
  if (miner) {
    // An unknown handle is a 404 page, not an empty one.
    if (!(await siteData(ctx).findHandle(checkHandle(miner[1])))) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no miner has this handle');
    return assets.page('miner');
  }
  if (block) return assets.page('block');
  const height = uint64Param(api![1], 'height', 0n);
  const detail = height <= BigInt(Number.MAX_SAFE_INTEGER) ? await siteSql(ctx).block(Number(height)) : null;
  if (!detail) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', `the pool has no record of block ${height}`);
  return jsonReply(200, detail);
}
