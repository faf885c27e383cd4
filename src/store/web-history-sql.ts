import type { JobId } from '../domain/index.js';
import { formatFeeRate, jobFigures } from '../accounting/index.js';
import { toBigint, toDate, toJobId } from './numeric.js';
import type { SqlDatabase } from './sql.js';
import type { BlockColumn, BlockRow, EarningColumn, EarningRow, Page, PageQuery, RewardColumn, RewardRow, SubmissionColumn, SubmissionRow } from '../web/index.js';

/**
 * The web's history lists read straight from the pool's tables, paged and sorted in SQL. Sort
 * columns reach the SQL text only through these fixed maps (the web has already checked them
 * against the same allow-lists); every value travels as a parameter.
 */
const BLOCK_SORT: Record<BlockColumn, string> = { height: 'height', won: 'COALESCE(pool_winning, 0)', reward: 'COALESCE(pool_reward, 0)' };
const REWARD_SORT: Record<RewardColumn, string> = {
  job_id: 's.job_id', pool_reward: 's.reward', winning: 'COALESCE(b.pool_winning, 0)', graded: 'COALESCE(b.pool_graded, 0)',
  pool_fee: 's.fee', dust: 's.dust', pool_difficulty: 's.job_credit',
  // credit over the job's share window, as jobFigures computes it (0 for an empty window)
  total_hashrate: "COALESCE(s.job_credit / NULLIF(EXTRACT(EPOCH FROM (c.last_share - c.first_share)), 0), 0)",
};
const SUBMISSION_SORT: Record<SubmissionColumn, string> = { id: 'submitted_at', job_id: 'job_id', target: 'target', created_at: 'submitted_at' };
const EARNING_SORT: Record<EarningColumn, string> = { job_id: 'o.job_id', amount: 'o.amount' };

function orderBy(expr: string, q: PageQuery): string {
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  return `ORDER BY ${expr} ${dir}`;
}

async function page<T>(db: SqlDatabase, from: string, select: string, sort: string, q: PageQuery, params: unknown[], map: (r: Record<string, unknown>) => T): Promise<Page<T>> {
  const n = params.length;
  const [rows, count] = await Promise.all([
    db.query<Record<string, unknown>>(`SELECT ${select} ${from} ${sort} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, q.limit, q.offset] as never[]),
    db.query<{ n: unknown }>(`SELECT count(*) AS n ${from}`, params as never[]),
  ]);
  return { data: rows.rows.map(map), total: Number(toBigint(count.rows[0]!.n, 'count')) };
}

const big = (v: unknown, c: string) => (v === null || v === undefined ? 0n : toBigint(v, c));

export interface WebHistory {
  blocks(q: PageQuery<BlockColumn>): Promise<Page<BlockRow>>;
  rewards(q: PageQuery<RewardColumn>): Promise<Page<RewardRow>>;
  submissions(q: PageQuery<SubmissionColumn>, jobId: JobId): Promise<Page<SubmissionRow>>;
  earnings(userId: bigint, q: PageQuery<EarningColumn>): Promise<Page<EarningRow>>;
}

export function createSqlWebHistory(db: SqlDatabase): WebHistory {
  return {
    blocks: (q) => page(db, 'FROM pegnet_synced_blocks', 'height, graded, pool_winning, pool_reward, synced_at', orderBy(BLOCK_SORT[q.column], q) + ', height DESC', q, [], (r) => ({
      height: Number(toBigint(r.height, 'height')), graded: r.graded === true, won: Number(r.pool_winning ?? 0), reward: big(r.pool_reward, 'pool_reward'), time: toDate(r.synced_at),
    })),
    rewards: (q) => page(db,
      `FROM job_settlements s LEFT JOIN pegnet_synced_blocks b ON b.height = s.job_id
         LEFT JOIN (SELECT job_id, SUM(shares) AS shares, MIN(first_share) AS first_share, MAX(last_share) AS last_share FROM job_credits GROUP BY job_id) c ON c.job_id = s.job_id`,
      's.job_id, s.reward, s.fee_rate_e8, s.fee, s.dust, s.job_credit, s.scheme, b.pool_winning, b.pool_graded, c.shares, c.first_share, c.last_share',
      orderBy(REWARD_SORT[q.column], q) + ', s.job_id DESC', q, [], (r) => ({
        jobId: toJobId(r.job_id), poolReward: big(r.reward, 'reward'), winningOprs: Number(r.pool_winning ?? 0), gradedOprs: Number(r.pool_graded ?? 0),
        poolFeeRate: formatFeeRate(big(r.fee_rate_e8, 'fee_rate_e8')), poolFee: big(r.fee, 'fee'), dust: big(r.dust, 'dust'), scheme: String(r.scheme),
        ...jobFigures({
          credit: big(r.job_credit, 'job_credit'), shares: Number(big(r.shares, 'shares')),
          firstShare: r.first_share == null ? null : toDate(r.first_share), lastShare: r.last_share == null ? null : toDate(r.last_share),
        }),
      })),
    submissions: (q, jobId) => page(db,
      `FROM entry_submissions e LEFT JOIN users u ON u.id = e.user_id${jobId === 0 ? '' : ' WHERE e.job_id = $1'}`,
      'e.entry_hash, e.job_id, e.commit_tx_id, e.target, e.nonce, e.miner, e.status, e.submitted_at, e.opr_hash, u.email, extract(epoch from e.submitted_at) * 1000 AS ms',
      orderBy(`e.${SUBMISSION_SORT[q.column]}`, q) + ', e.entry_hash', q, jobId === 0 ? [] : [jobId], (r) => ({
        id: BigInt(Math.round(Number(r.ms))), jobId: toJobId(r.job_id), email: String(r.email ?? ''), miner: String(r.miner ?? ''), oprHash: String(r.opr_hash ?? ''),
        nonce: String(r.nonce), target: toBigint(r.target, 'target'), entryHash: r.status === 'failed' ? '' : String(r.entry_hash),
        commitTxId: String(r.commit_tx_id), blocked: false, createdAt: toDate(r.submitted_at),
      })),
    earnings: (userId, q) => page(db, 'FROM owed o WHERE o.user_id = $1', 'o.job_id, o.credit, o.amount', orderBy(EARNING_SORT[q.column], q) + ', o.job_id DESC', q, [userId.toString()], (r) => ({
      jobId: toJobId(r.job_id), credit: toBigint(r.credit, 'credit'), amount: toBigint(r.amount, 'amount'),
    })),
  };
}
