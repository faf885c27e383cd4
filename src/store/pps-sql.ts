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
