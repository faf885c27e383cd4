import { ProsperError } from '../errors.js';
import { toBigint, toBigintOrZero, toDate, uint64Param } from './numeric.js';
import { accruingSum } from './pps-sql.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';
import type { BalanceRow, PayoutBatch, PayoutStatus, RecordOutcome } from './types.js';

/**
 * The one definition of a balance: earned (every settled job's share, for ever), paid (in batches
 * recorded as paid), pending (locked in batches written but not recorded), and owed = earned -
 * paid - pending (what the next batch would pay). Under PPS (`$1` = ppsfee, else NULL) accruing is
 * what the user's credit in jobs not yet settled is worth (pps-sql accruingSum): shown, never
 * paid, until the job settles and the amount moves into earned (a fallback to PPLNS replaces it
 * with the PPLNS split).
 */
const BALANCES_SQL = `
SELECT id, email, payout_address, min_payout, earned, paid, pending, earned - paid - pending AS owed, accruing FROM (
  SELECT u.id, u.email, u.payout_address, u.min_payout,
         COALESCE((SELECT SUM(o.amount) FROM owed o WHERE o.user_id = u.id), 0) AS earned,
         COALESCE((SELECT SUM(i.amount) FROM payout_items i JOIN payout_batches b ON b.id = i.batch_id
                    WHERE i.user_id = u.id AND b.status = 'paid'), 0) AS paid,
         COALESCE((SELECT SUM(i.amount) FROM payout_items i JOIN payout_batches b ON b.id = i.batch_id
                    WHERE i.user_id = u.id AND b.status = 'pending'), 0) AS pending,
         ${accruingSum('$1', 'c.user_id = u.id AND $1::numeric IS NOT NULL')} AS accruing
    FROM users u) AS b
 ORDER BY id`;

async function readBalances(q: SqlExecutor, ppsFeeE8: bigint | null): Promise<BalanceRow[]> {
  const res = await q.query<Record<string, unknown>>(BALANCES_SQL, [ppsFeeE8 === null ? null : ppsFeeE8.toString()]);
  return res.rows.map((r) => ({
    userId: toBigint(r.id),
    email: String(r.email),
    payoutAddress: String(r.payout_address),
    minPayout: r.min_payout == null ? null : toBigint(r.min_payout),
    earned: toBigintOrZero(r.earned),
    paid: toBigintOrZero(r.paid),
    pending: toBigintOrZero(r.pending),
    owed: toBigintOrZero(r.owed),
    accruing: toBigintOrZero(r.accruing),
  }));
}

async function readBatch(q: SqlExecutor, id: string, lock = false): Promise<PayoutBatch | null> {
  const head = await q.query<Record<string, unknown>>(`SELECT * FROM payout_batches WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (head.rows.length === 0) return null;
  const items = await q.query<Record<string, unknown>>(
    `SELECT i.user_id, u.email, i.address, i.amount FROM payout_items i JOIN users u ON u.id = i.user_id
      WHERE i.batch_id = $1 ORDER BY i.user_id`,
    [id],
  );
  const h = head.rows[0];
  return {
    id: String(h.id),
    status: String(h.status) as PayoutStatus,
    createdAt: toDate(h.created_at),
    entryHash: h.entry_hash == null ? null : String(h.entry_hash),
    items: items.rows.map((r) => ({ userId: toBigint(r.user_id), email: String(r.email), address: String(r.address), amount: toBigint(r.amount) })),
  };
}

/** The balance a user is paid from: their own threshold, but at least the pool's minimum. */
export function payoutThreshold(poolMinimum: bigint, userMinimum: bigint | null): bigint {
  return userMinimum !== null && userMinimum > poolMinimum ? userMinimum : poolMinimum;
}

export function payoutsSql(db: SqlDatabase) {
  return {
    /** Sets (or with null clears) a user's own payout threshold; the caller checks it against the pool's minimum. */
    async setMinPayout(userId: bigint, amount: bigint | null): Promise<void> {
      if (amount !== null && amount < 1n) throw new ProsperError('PROSPER_E_STORE_PAYOUT', 'a payout threshold must be at least 1');
      const res = await db.query('UPDATE users SET min_payout = $1 WHERE id = $2', [amount === null ? null : uint64Param(amount, 'min_payout'), userId]);
      if (res.rowCount !== 1) throw new ProsperError('PROSPER_E_STORE_NO_USER', `no user with id ${userId}`);
    },

    async balances(ppsFeeE8: bigint | null = null): Promise<BalanceRow[]> {
      return readBalances(db, ppsFeeE8);
    },

    async createPayoutBatch(id: string, minimum: bigint, now: Date): Promise<PayoutBatch | null> {
      if (minimum < 1n) throw new ProsperError('PROSPER_E_STORE_PAYOUT', 'payout minimum must be at least 1');
      return db.transaction(async (tx) => {
        // One batch is built at a time, so two runs cannot both lock the same balance.
        await tx.query('LOCK TABLE payout_batches IN EXCLUSIVE MODE');
        // Each user is paid once the balance reaches their own threshold, never below the pool's minimum.
        const due = (await readBalances(tx, null)).filter((b) => b.payoutAddress !== '' && b.owed >= payoutThreshold(minimum, b.minPayout));
        if (due.length === 0) return null;
        await tx.query("INSERT INTO payout_batches (id, status, created_at) VALUES ($1, 'pending', $2)", [id, now]);
        for (const b of due) {
          await tx.query('INSERT INTO payout_items (batch_id, user_id, address, amount) VALUES ($1, $2, $3, $4)', [id, b.userId, b.payoutAddress, b.owed]);
        }
        return readBatch(tx, id);
      });
    },

    async getPayoutBatch(id: string): Promise<PayoutBatch | null> {
      return readBatch(db, id);
    },

    async listPayoutBatches(limit: number): Promise<PayoutBatch[]> {
      const n = Math.min(1000, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1)));
      const ids = await db.query<{ id: string }>('SELECT id FROM payout_batches ORDER BY created_at DESC, id LIMIT $1', [n]);
      const out: PayoutBatch[] = [];
      for (const r of ids.rows) {
        const b = await readBatch(db, String(r.id));
        if (b) out.push(b);
      }
      return out;
    },

    async recordPayout(id: string, entryHash: string, now: Date): Promise<RecordOutcome> {
      if (!/^[0-9a-f]{64}$/.test(entryHash)) throw new ProsperError('PROSPER_E_STORE_PAYOUT', `not an entry hash: ${entryHash}`);
      return db.transaction(async (tx) => {
        const batch = await readBatch(tx, id, true);
        if (!batch) throw new ProsperError('PROSPER_E_STORE_PAYOUT_UNKNOWN', `no payout batch ${id}`);
        if (batch.status === 'paid') {
          if (batch.entryHash === entryHash) return 'already-recorded';
          throw new ProsperError('PROSPER_E_STORE_PAYOUT_CONFLICT', `batch ${id} was already recorded with entry ${batch.entryHash}`);
        }
        if (batch.status === 'cancelled') throw new ProsperError('PROSPER_E_STORE_PAYOUT_CONFLICT', `batch ${id} was cancelled`);
        const used = await tx.query('SELECT id FROM payout_batches WHERE entry_hash = $1', [entryHash]);
        if (used.rows.length) throw new ProsperError('PROSPER_E_STORE_PAYOUT_CONFLICT', `entry ${entryHash} is already recorded for another batch`);
        await tx.query("UPDATE payout_batches SET status = 'paid', entry_hash = $2, recorded_at = $3 WHERE id = $1", [id, entryHash, now]);
        return 'recorded';
      });
    },

    async cancelPayoutBatch(id: string, now: Date): Promise<boolean> {
      const res = await db.query("UPDATE payout_batches SET status = 'cancelled', recorded_at = $2 WHERE id = $1 AND status = 'pending'", [id, now]);
      return res.rowCount === 1;
    },
  };
}
