import type { WebContext, RouteTable } from './context.js';
import { jsonReply } from './http.js';
import { BLOCK_COLUMNS, REWARD_COLUMNS, SUBMISSION_COLUMNS } from './ports.js';
import { intParam, parsePageQuery, jobIdParam } from './validate.js';

/** History requests reach back at most a week. */
export const MAX_HISTORY_SECONDS = 7 * 86400;

function pageRaw(q: URLSearchParams) {
  return { limit: q.get('limit'), offset: q.get('offset'), order: q.get('order'), column: q.get('column') };
}

/** Public read APIs: pool stats, blocks, rewards, submissions, pool hashrate history. */
export function poolRoutes(ctx: WebContext, routes: RouteTable): void {
  const { pool } = ctx.ports;

  routes.set('GET /api/pool/stats', async () => jsonReply(200, await pool.poolStats()));

  routes.set('GET /api/pool/blocks', async (req) => {
    const q = parsePageQuery(pageRaw(req.query), BLOCK_COLUMNS);
    return jsonReply(200, await pool.blocks(q));
  });

  routes.set('GET /api/pool/rewards', async (req) => {
    const q = parsePageQuery(pageRaw(req.query), REWARD_COLUMNS);
    return jsonReply(200, await pool.rewards(q));
  });

  routes.set('GET /api/pool/submissions', async (req) => {
    const q = parsePageQuery(pageRaw(req.query), SUBMISSION_COLUMNS);
    const jobId = jobIdParam(req.query.get('jobid'), 'jobid');
    return jsonReply(200, await pool.submissions(q, jobId));
  });

  routes.set('GET /api/pool/sync', async () => jsonReply(200, await pool.submitSync()));

  routes.set('GET /api/pool/hashrate', async (req) => {
    const seconds = intParam(req.query.get('seconds'), 'seconds', 3600, MAX_HISTORY_SECONDS);
    return jsonReply(200, { points: await pool.poolHashrateHistory(ctx.now() - seconds * 1000) });
  });
}
