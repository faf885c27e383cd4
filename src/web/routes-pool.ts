import type { WebContext, RouteTable } from './context.js';
import { jsonReply } from './http.js';
import { BLOCK_COLUMNS, REWARD_COLUMNS, SUBMISSION_COLUMNS } from './ports.js';
import { parsePageQuery, jobIdParam } from './validate.js';

function pageRaw(q: URLSearchParams) {
  return { limit: q.get('limit'), offset: q.get('offset'), order: q.get('order'), column: q.get('column') };
}

/** Public read APIs: pool stats, blocks, rewards, submissions (the hashrate history is the store's: routes-site.ts). */
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
}
