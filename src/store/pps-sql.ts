import { ProsperError } from '../errors.js';
import { toBigint, toBigintOrZero, toDate } from './numeric.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';
import type { ReserveMove } from './types.js';

/**
 * The one definition of the PPS reserve: what the operator moved in (or out) plus what every
 * settlement added to it (PPS: the reward less what it paid; PROP and PPLNS: nothing).
 */
const RESERVE_SQL = `SELECT (SELECT COALESCE(SUM(amount), 0) FROM pps_reserve_moves)
                          + (SELECT COALESCE(SUM(reserve_delta), 0) FROM job_settlements) AS reserve`;

/**
 * The one definition of what PPS shares of jobs not settled yet are worth: per (job, user),
 * floor(credit x rate) at the rate that job's settlement will use (planSettlement: (1 - ppsfee) x
 * EMA(reward) / EMA(credit) of the newest settlement before it, 1e-8 fee units, rate x 1e18),
 * summed. `fee` names the ppsfee parameter; `where` narrows the job_credits rows `c`.
 */
export function accruingSum(fee: string, where: string): string {
  return `COALESCE((SELECT SUM(div(jc.credit * div(r.ema_reward * (100000000 - ${fee}::numeric) * 1000000000000000000, 100000000 * r.ema_credit),
                                   1000000000000000000))
                      FROM (SELECT c.job_id, c.user_id, SUM(c.credit) AS credit FROM job_credits c
                             WHERE ${where} AND NOT EXISTS (SELECT 1 FROM job_settlements s WHERE s.job_id = c.job_id)
                             GROUP BY c.job_id, c.user_id) jc
                      CROSS JOIN LATERAL (SELECT s.ema_reward, s.ema_credit FROM job_settlements s
                                           WHERE s.job_id < jc.job_id AND s.ema_credit IS NOT NULL
                                           ORDER BY s.job_id DESC LIMIT 1) r
                     WHERE r.ema_credit > 0 AND r.ema_reward IS NOT NULL), 0)`;
}

/** What every open job but `jobId` has accrued under PPS: a liability the reserve's floor check counts. */
export async function readOpenAccrued(q: SqlExecutor, ppsFeeE8: bigint, jobId: bigint | number): Promise<bigint> {
  const res = await q.query<Record<string, unknown>>(`SELECT ${accruingSum('$1', 'c.job_id <> $2')} AS accrued`, [ppsFeeE8.toString(), jobId]);
  return toBigintOrZero(res.rows[0]?.accrued, 'accrued');
}

/** Held by every settlement and reserve move: the reserve a plan reads stays true until it commits. */
export const SETTLEMENT_LOCK_KEY = 0x70707321; // "pps!"

export async function readReserve(q: SqlExecutor): Promise<bigint> {
  const res = await q.query<Record<string, unknown>>(RESERVE_SQL);
  return toBigintOrZero(res.rows[0]?.reserve, 'reserve');
}

export function ppsSql(db: SqlDatabase) {
  return {
    async ppsReserve(): Promise<bigint> {
      return readReserve(db);
    },

    /** Records an operator deposit (positive) or withdrawal (negative); a withdrawal may not take the reserve below 0. */
    async moveReserve(amount: bigint, note: string, now: Date): Promise<bigint> {
      if (amount === 0n) throw new ProsperError('PROSPER_E_STORE_RESERVE', 'a reserve move must not be 0');
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [SETTLEMENT_LOCK_KEY]);
        const before = await readReserve(tx);
        if (before + amount < 0n) throw new ProsperError('PROSPER_E_STORE_RESERVE', `the reserve holds ${before}; cannot take ${-amount}`);
        await tx.query('INSERT INTO pps_reserve_moves (amount, note, created_at) VALUES ($1, $2, $3)', [amount.toString(), note, now]);
        return before + amount;
      });
    },

    async reserveMoves(limit: number): Promise<ReserveMove[]> {
      const n = Math.min(1000, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1)));
      const res = await db.query<Record<string, unknown>>('SELECT * FROM pps_reserve_moves ORDER BY id DESC LIMIT $1', [n]);
      return res.rows.map((r) => ({ id: toBigint(r.id), amount: toBigint(r.amount), note: String(r.note), createdAt: toDate(r.created_at) }));
    },

    /** The rewards of the newest `blocks` settlements, newest first (the reserve's risk is estimated from them). */
    async recentRewards(blocks: number): Promise<bigint[]> {
      const n = Math.min(100_000, Math.max(1, Math.floor(Number.isFinite(blocks) ? blocks : 1)));
      const res = await db.query<Record<string, unknown>>('SELECT reward FROM job_settlements ORDER BY job_id DESC LIMIT $1', [n]);
      return res.rows.map((r) => toBigint(r.reward));
    },
  };
}
