import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import { toBigint, toBigintOrZero, toDate, toJobId, uint64Param } from './numeric.js';
import type { SqlDatabase, SqlExecutor, SqlParam } from './sql.js';
import { readOpenAccrued, readReserve, SETTLEMENT_LOCK_KEY } from './pps-sql.js';
import { sumWindows, windowEdges } from './work-windows.js';
import type { JobCreditRow, SchemeName, SettlementHistory, SettlementPlan, SettlementRecord, ShareCredit, UserCredit, UserOwedRow, WorkWindowRow } from './types.js';

/** Page sizes for list queries: 1..1000. */
function pageSize(limit: number): number {
  return Math.min(1000, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1)));
}

/** Rows per INSERT statement: 6 parameters each stays far below PostgreSQL's 65535 limit. */
const ROWS_PER_STATEMENT = 1000;

interface Aggregate {
  jobId: JobId;
  userId: bigint;
  miner: string;
  credit: bigint;
  shares: bigint;
  first: Date;
  last: Date;
}

/** Sums a batch per (job, user, miner) so each aggregate row is upserted once per batch. */
function aggregate(shares: readonly ShareCredit[]): Aggregate[] {
  const byKey = new Map<string, Aggregate>();
  for (const s of shares) {
    const key = `${s.jobId}\u0000${s.userId}\u0000${s.miner}`;
    const a = byKey.get(key);
    if (a === undefined) {
      byKey.set(key, { jobId: s.jobId, userId: s.userId, miner: s.miner, credit: s.credit, shares: 1n, first: s.receivedAt, last: s.receivedAt });
    } else {
      a.credit += s.credit;
      a.shares += 1n;
      if (s.receivedAt < a.first) a.first = s.receivedAt;
      if (s.receivedAt > a.last) a.last = s.receivedAt;
    }
  }
  // A fixed order: concurrent batches then lock aggregate rows in the same order and cannot deadlock.
  return [...byKey.values()].sort((a, b) =>
    a.jobId !== b.jobId ? (a.jobId < b.jobId ? -1 : 1) : a.userId !== b.userId ? (a.userId < b.userId ? -1 : 1) : a.miner < b.miner ? -1 : a.miner > b.miner ? 1 : 0);
}

/** Deadlock or serialization failure: the transaction rolled back and may simply be run again. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '40P01' || code === '40001';
}

async function insertRawShares(tx: SqlExecutor, shares: readonly ShareCredit[]): Promise<void> {
  for (let start = 0; start < shares.length; start += ROWS_PER_STATEMENT) {
    const chunk = shares.slice(start, start + ROWS_PER_STATEMENT);
    const params: SqlParam[] = [];
    const rows = chunk.map((s, i) => {
      params.push(s.jobId, s.userId, s.miner, uint64Param(s.target, 'target'), uint64Param(s.credit, 'credit'), s.receivedAt);
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await tx.query(`INSERT INTO shares (job_id, user_id, miner, target, credit, received_at) VALUES ${rows.join(', ')}`, params);
  }
}

/**
 * Claims the ids of the shares that carry one; returns the shares to credit: those without an
 * id, and the first of each id that no earlier batch claimed.
 */
async function claimShareIds(tx: SqlExecutor, shares: readonly ShareCredit[], now: Date): Promise<readonly ShareCredit[]> {
  const ids = [...new Set(shares.flatMap((s) => (s.shareId === undefined ? [] : [s.shareId])))];
  if (ids.length === 0) return shares;
  const claimed = new Set<string>();
  for (let start = 0; start < ids.length; start += ROWS_PER_STATEMENT) {
    const chunk = ids.slice(start, start + ROWS_PER_STATEMENT);
    const rows = chunk.map((_, i) => `($${i + 2}, $1::timestamptz)`);
    const res = await tx.query<{ id: string }>(
      `INSERT INTO credited_shares (id, committed_at) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`,
      [now, ...chunk],
    );
    for (const r of res.rows) claimed.add(r.id);
  }
  return shares.filter((s) => s.shareId === undefined || claimed.delete(s.shareId));
}

/** One multi-row upsert per chunk: keys are unique within a batch, so ON CONFLICT sees each once. */
async function upsertAggregates(tx: SqlExecutor, aggs: readonly Aggregate[]): Promise<void> {
  for (let start = 0; start < aggs.length; start += ROWS_PER_STATEMENT) {
    const chunk = aggs.slice(start, start + ROWS_PER_STATEMENT);
    const params: SqlParam[] = [];
    const rows = chunk.map((a, i) => {
      params.push(a.jobId, a.userId, a.miner, a.credit, a.shares, a.first, a.last);
      const b = i * 7;
      return `($${b + 1}::bigint, $${b + 2}::bigint, $${b + 3}, $${b + 4}::numeric, $${b + 5}::bigint, $${b + 6}::timestamptz, $${b + 7}::timestamptz)`;
    });
    await tx.query(
      `INSERT INTO job_credits (job_id, user_id, miner, credit, shares, first_share, last_share)
       VALUES ${rows.join(', ')}
       ON CONFLICT (job_id, user_id, miner) DO UPDATE SET
         credit = job_credits.credit + EXCLUDED.credit,
         shares = job_credits.shares + EXCLUDED.shares,
         first_share = LEAST(job_credits.first_share, EXCLUDED.first_share),
         last_share = GREATEST(job_credits.last_share, EXCLUDED.last_share)`,
      params,
    );
  }
}

const nullableBigint = (v: unknown): bigint | null => (v == null ? null : toBigint(v));

function toSettlement(r: Record<string, unknown>, payouts: SettlementPlan['payouts']): SettlementRecord {
  return {
    jobId: toJobId(r.job_id),
    reward: toBigint(r.reward),
    feeRateE8: toBigint(r.fee_rate_e8),
    fee: toBigint(r.fee),
    dust: toBigint(r.dust),
    totalCredit: toBigint(r.total_credit),
    settledAt: toDate(r.settled_at),
    payouts,
    scheme: String(r.scheme) as SchemeName,
    fallback: r.fallback === true,
    reserveDelta: toBigintOrZero(r.reserve_delta),
    ppsRateE18: nullableBigint(r.pps_rate_e18),
    jobCredit: toBigint(r.job_credit),
    pplnsWindow: nullableBigint(r.pplns_window),
    emaReward: toBigintOrZero(r.ema_reward),
    emaCredit: toBigintOrZero(r.ema_credit),
  };
}

/** The settled history a plan may read, inside the settling transaction. */
function historyOf(tx: SqlExecutor, jobId: JobId): SettlementHistory {
  return {
    async state() {
      const last = await tx.query<Record<string, unknown>>(
        'SELECT ema_reward, ema_credit FROM job_settlements WHERE job_id < $1 AND ema_credit IS NOT NULL ORDER BY job_id DESC LIMIT 1',
        [jobId],
      );
      const row = last.rows[0];
      return { emaReward: nullableBigint(row?.ema_reward), emaCredit: nullableBigint(row?.ema_credit), reserve: await readReserve(tx) };
    },
    async jobsBefore(before, limit) {
      const res = await tx.query<Record<string, unknown>>(
        `SELECT job_id, user_id, SUM(credit) AS credit FROM job_credits
          WHERE job_id IN (SELECT DISTINCT job_id FROM job_credits WHERE job_id < $1 ORDER BY job_id DESC LIMIT $2)
          GROUP BY job_id, user_id ORDER BY job_id DESC, user_id`,
        [before, pageSize(limit)],
      );
      const jobs: { jobId: JobId; credits: UserCredit[] }[] = [];
      for (const r of res.rows) {
        const id = toJobId(r.job_id);
        if (jobs.length === 0 || jobs[jobs.length - 1]!.jobId !== id) jobs.push({ jobId: id, credits: [] });
        jobs[jobs.length - 1]!.credits.push({ userId: toBigint(r.user_id), credit: toBigint(r.credit) });
      }
      return jobs;
    },
    async sharesOf(job) {
      // The job's share window from its aggregates keeps the scan on the received_at index.
      const res = await tx.query<Record<string, unknown>>(
        `SELECT user_id, credit FROM shares
          WHERE job_id = $1 AND received_at BETWEEN (SELECT MIN(first_share) FROM job_credits WHERE job_id = $1)
                                                AND (SELECT MAX(last_share) FROM job_credits WHERE job_id = $1)
          ORDER BY received_at DESC, id DESC`,
        [job],
      );
      return res.rows.map((r) => ({ userId: toBigint(r.user_id), credit: toBigint(r.credit) }));
    },
    openAccrued: (ppsFeeE8) => readOpenAccrued(tx, ppsFeeE8, jobId),
  };
}

async function readSettlement(q: SqlExecutor, jobId: JobId): Promise<SettlementRecord | null> {
  const head = await q.query<Record<string, unknown>>('SELECT * FROM job_settlements WHERE job_id = $1', [jobId]);
  if (head.rows.length === 0) return null;
  const owed = await q.query<Record<string, unknown>>('SELECT user_id, credit, amount FROM owed WHERE job_id = $1 ORDER BY user_id', [jobId]);
  return toSettlement(head.rows[0], owed.rows.map((r) => ({ userId: toBigint(r.user_id), credit: toBigint(r.credit), amount: toBigint(r.amount) })));
}

/** A (user, miner) group of shares summed over a window. */
function workRow(r: Record<string, unknown>): WorkWindowRow {
  return { userId: toBigint(r.user_id), miner: String(r.miner), credit: toBigintOrZero(r.credit), shares: toBigint(r.shares), lastShare: toDate(r.last_share) };
}

export function creditSql(db: SqlDatabase) {
  return {
    async creditShares(batchId: string, shares: readonly ShareCredit[]): Promise<boolean> {
      if (shares.length === 0) return true;
      const now = shares.reduce((m, s) => (s.receivedAt > m ? s.receivedAt : m), shares[0].receivedAt);
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const fresh = await tx.query('INSERT INTO credit_batches (id, committed_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [batchId, now]);
            if (fresh.rowCount !== 1) return false;
            const credited = await claimShareIds(tx, shares, now);
            if (credited.length === 0) return true;
            await insertRawShares(tx, credited);
            await upsertAggregates(tx, aggregate(credited));
            return true;
          });
        } catch (err) {
          if (attempt >= 3 || !isRetryable(err)) throw err;
        }
      }
    },

    async jobCredits(jobId: JobId): Promise<JobCreditRow[]> {
      const res = await db.query<Record<string, unknown>>('SELECT * FROM job_credits WHERE job_id = $1 ORDER BY user_id, miner', [jobId]);
      return res.rows.map((r) => ({
        jobId: toJobId(r.job_id),
        userId: toBigint(r.user_id),
        miner: String(r.miner),
        credit: toBigint(r.credit),
        shares: toBigint(r.shares),
        firstShare: toDate(r.first_share),
        lastShare: toDate(r.last_share),
      }));
    },

    async workSince(since: Date, until?: Date): Promise<WorkWindowRow[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT user_id, miner, SUM(credit) AS credit, COUNT(*) AS shares, MAX(received_at) AS last_share FROM shares
          WHERE received_at >= $1${until ? ' AND received_at <= $2' : ''} GROUP BY user_id, miner ORDER BY user_id, miner`,
        until ? [since, until] : [since],
      );
      return res.rows.map(workRow);
    },

    async workInWindows(windows: readonly { since: Date; until: Date }[]): Promise<WorkWindowRow[][]> {
      if (windows.length === 0) return [];
      const edges = windowEdges(windows);
      const thresholds = `{${edges.map((d) => `"${d.toISOString()}"`).join(',')}}`;
      // One pass over the shares between the first and the last edge, summed per segment between
      // edges (width_bucket), shares exactly on an edge apart; the windows add up their segments.
      const res = await db.query<Record<string, unknown>>(
        `SELECT width_bucket(received_at, $1::timestamptz[]) AS segment, received_at = ANY($1::timestamptz[]) AS on_edge,
                user_id, miner, SUM(credit) AS credit, COUNT(*) AS shares, MAX(received_at) AS last_share
           FROM shares WHERE received_at >= $2 AND received_at <= $3
          GROUP BY 1, 2, user_id, miner ORDER BY user_id, miner, 1`,
        [thresholds, edges[0]!, edges[edges.length - 1]!],
      );
      const work = res.rows.map((r) => ({ ...workRow(r), segment: Number(toBigint(r.segment)), onEdge: r.on_edge === true }));
      return sumWindows(windows, edges, work);
    },

    async pruneShares(before: Date): Promise<number> {
      return db.transaction(async (tx) => {
        const res = await tx.query('DELETE FROM shares WHERE received_at < $1', [before]);
        await tx.query('DELETE FROM credit_batches WHERE committed_at < $1', [before]);
        await tx.query('DELETE FROM credited_shares WHERE committed_at < $1', [before]);
        return res.rowCount;
      });
    },

    async settleJob(
      jobId: JobId,
      plan: (credits: UserCredit[], history: SettlementHistory) => SettlementPlan | Promise<SettlementPlan>,
      now: Date,
    ): Promise<{ record: SettlementRecord; created: boolean }> {
      const created = await db.transaction(async (tx) => {
        // One settlement at a time: the loser of a race for a job sees the winner's row, and the
        // PPS reserve and running averages a plan reads stay true until it commits.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [SETTLEMENT_LOCK_KEY]);
        const existing = await readSettlement(tx, jobId);
        if (existing) return null;
        const credits = await tx.query<Record<string, unknown>>(
          'SELECT user_id, SUM(credit) AS credit FROM job_credits WHERE job_id = $1 GROUP BY user_id ORDER BY user_id',
          [jobId],
        );
        const jobCredits = credits.rows.map((r) => ({ userId: toBigint(r.user_id), credit: toBigint(r.credit) }));
        const p = await plan(jobCredits, historyOf(tx, jobId));
        const paid = p.payouts.reduce((s, x) => s + x.amount, 0n);
        const reserveDelta = p.reserveDelta ?? 0n;
        if (p.fee + p.dust + paid + reserveDelta !== p.reward || p.fee < 0n || p.dust < 0n) {
          throw new ProsperError('PROSPER_E_STORE_SETTLEMENT', `settlement for job ${jobId} does not add up`);
        }
        const jobCredit = p.jobCredit ?? jobCredits.reduce((s, c) => s + c.credit, 0n);
        await tx.query(
          `INSERT INTO job_settlements (job_id, reward, fee_rate_e8, fee, dust, total_credit, settled_at,
             scheme, fallback, job_credit, pplns_window, pps_rate_e18, reserve_delta, ema_reward, ema_credit)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [jobId, uint64Param(p.reward), p.feeRateE8, p.fee, p.dust, p.totalCredit, now,
            p.scheme ?? 'prop', p.fallback ?? false, jobCredit, p.pplnsWindow ?? null, p.ppsRateE18 ?? null, reserveDelta,
            p.emaReward ?? null, p.emaCredit ?? null],
        );
        for (const x of p.payouts) {
          await tx.query('INSERT INTO owed (job_id, user_id, credit, amount) VALUES ($1, $2, $3, $4)', [jobId, x.userId, x.credit, x.amount]);
        }
        return true;
      });
      const record = await readSettlement(db, jobId);
      if (!record) throw new ProsperError('PROSPER_E_STORE_SETTLEMENT', `settlement for job ${jobId} vanished`);
      return { record, created: created === true };
    },

    async getSettlement(jobId: JobId): Promise<SettlementRecord | null> {
      return readSettlement(db, jobId);
    },

    async listSettlements(limit: number, offset = 0): Promise<SettlementRecord[]> {
      const heads = await db.query<Record<string, unknown>>('SELECT * FROM job_settlements ORDER BY job_id DESC LIMIT $1 OFFSET $2', [pageSize(limit), Math.max(0, Math.floor(offset))]);
      if (heads.rows.length === 0) return [];
      const ids = heads.rows.map((r) => toJobId(r.job_id));
      const owed = await db.query<Record<string, unknown>>(
        'SELECT job_id, user_id, credit, amount FROM owed WHERE job_id BETWEEN $1 AND $2 ORDER BY job_id, user_id',
        [ids[ids.length - 1], ids[0]],
      );
      const byJob = new Map<JobId, SettlementPlan['payouts']>();
      for (const r of owed.rows) {
        const job = toJobId(r.job_id);
        const list = byJob.get(job) ?? [];
        list.push({ userId: toBigint(r.user_id), credit: toBigint(r.credit), amount: toBigint(r.amount) });
        byJob.set(job, list);
      }
      return heads.rows.map((h) => toSettlement(h, byJob.get(toJobId(h.job_id)) ?? []));
    },

    async userOwed(userId: bigint, limit: number): Promise<UserOwedRow[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT o.job_id, o.credit, o.amount, s.settled_at FROM owed o JOIN job_settlements s ON s.job_id = o.job_id
          WHERE o.user_id = $1 ORDER BY o.job_id DESC LIMIT $2`,
        [userId, pageSize(limit)],
      );
      return res.rows.map((r) => ({ jobId: toJobId(r.job_id), credit: toBigint(r.credit), amount: toBigint(r.amount), settledAt: toDate(r.settled_at) }));
    },
  };
}
