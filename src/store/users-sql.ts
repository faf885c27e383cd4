import { ProsperError } from '../errors.js';
import { toBigint, toDate } from './numeric.js';
import type { SqlDatabase } from './sql.js';
import type { InviteCodeRecord, MinerRecord, NewUser, RegisterOutcome, Role, UserRecord } from './types.js';

const USER_COLUMNS = 'id, email, password_hash, role, payout_address, created_at';

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    id: toBigint(r.id, 'users.id'),
    email: String(r.email),
    passwordHash: String(r.password_hash),
    role: r.role === 'admin' ? 'admin' : 'user',
    payoutAddress: String(r.payout_address),
    createdAt: toDate(r.created_at),
  };
}

/** Thrown inside a transaction only to roll it back with a reason. */
class Rollback extends Error {
  constructor(readonly reason: 'code-invalid' | 'email-taken') {
    super(reason);
  }
}

export function usersSql(db: SqlDatabase) {
  return {
    async createInviteCodes(codes: readonly string[], now: Date): Promise<void> {
      if (codes.length === 0) return;
      await db.transaction(async (tx) => {
        for (const code of codes) {
          await tx.query('INSERT INTO invite_codes (code, created_at) VALUES ($1, $2)', [code, now]);
        }
      });
    },

    async listInviteCodes(): Promise<InviteCodeRecord[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT c.code, c.created_at, c.claimed_at, u.email
           FROM invite_codes c LEFT JOIN users u ON u.id = c.claimed_by
          ORDER BY c.created_at, c.code`,
      );
      return res.rows.map((r) => ({
        code: String(r.code),
        createdAt: toDate(r.created_at),
        claimedBy: r.email == null ? null : String(r.email),
        claimedAt: r.claimed_at == null ? null : toDate(r.claimed_at),
      }));
    },

    async registerWithInvite(user: NewUser, code: string, now: Date): Promise<RegisterOutcome> {
      try {
        const created = await db.transaction(async (tx) => {
          const ins = await tx.query<Record<string, unknown>>(
            `INSERT INTO users (email, password_hash, payout_address, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
            [user.email, user.passwordHash, user.payoutAddress, now],
          );
          if (ins.rows.length === 0) throw new Rollback('email-taken');
          const row = toUser(ins.rows[0]);
          // The claimed_by IS NULL guard is what makes the claim atomic: a concurrent claimer
          // waits on the row lock, then finds the condition false and updates nothing.
          const claim = await tx.query(
            'UPDATE invite_codes SET claimed_by = $1, claimed_at = $2 WHERE code = $3 AND claimed_by IS NULL',
            [row.id, now, code],
          );
          if (claim.rowCount !== 1) throw new Rollback('code-invalid');
          return row;
        });
        return { ok: true, user: created };
      } catch (err) {
        if (err instanceof Rollback) return { ok: false, reason: err.reason };
        // Two registrations of one new email race on the unique index: the loser sees 23505.
        if ((err as { code?: string }).code === '23505') return { ok: false, reason: 'email-taken' };
        throw err;
      }
    },

    async findUserByEmail(email: string): Promise<UserRecord | null> {
      const res = await db.query<Record<string, unknown>>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
      return res.rows.length ? toUser(res.rows[0]) : null;
    },

    async listUsers(): Promise<UserRecord[]> {
      const res = await db.query<Record<string, unknown>>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`);
      return res.rows.map(toUser);
    },

    async setRole(email: string, role: Role): Promise<boolean> {
      const res = await db.query('UPDATE users SET role = $1 WHERE email = $2', [role, email]);
      return res.rowCount === 1;
    },

    async setPayoutAddress(userId: bigint, address: string): Promise<void> {
      const res = await db.query('UPDATE users SET payout_address = $1 WHERE id = $2', [address, userId]);
      if (res.rowCount !== 1) throw new ProsperError('PROSPER_E_STORE_NO_USER', `no user with id ${userId}`);
    },

    async setPasswordHash(userId: bigint, passwordHash: string): Promise<void> {
      const res = await db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId]);
      if (res.rowCount !== 1) throw new ProsperError('PROSPER_E_STORE_NO_USER', `no user with id ${userId}`);
    },

    async touchMiner(userId: bigint, name: string, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO miners (user_id, name, first_seen, last_seen) VALUES ($1, $2, $3, $3)
         ON CONFLICT (user_id, name) DO UPDATE SET last_seen = GREATEST(miners.last_seen, EXCLUDED.last_seen)`,
        [userId, name, now],
      );
    },

    async listMiners(userId?: bigint): Promise<MinerRecord[]> {
      // The last credited share of each miner comes from the per-job aggregates (kept for ever).
      const sql = `SELECT m.*, c.last_share FROM miners m
        LEFT JOIN (SELECT user_id, miner, MAX(last_share) AS last_share FROM job_credits ${userId === undefined ? '' : 'WHERE user_id = $1 '}GROUP BY user_id, miner) c
          ON c.user_id = m.user_id AND c.miner = m.name
        ${userId === undefined ? '' : 'WHERE m.user_id = $1 '}ORDER BY m.user_id, m.name`;
      const res = await db.query<Record<string, unknown>>(sql, userId === undefined ? [] : [userId]);
      return res.rows.map((r) => {
        const lastShareAt = r.last_share == null ? null : toDate(r.last_share);
        const authorizedAt = toDate(r.last_seen);
        return {
          userId: toBigint(r.user_id),
          name: String(r.name),
          firstSeen: toDate(r.first_seen),
          lastSeen: lastShareAt && lastShareAt > authorizedAt ? lastShareAt : authorizedAt,
          lastShareAt,
        };
      });
    },
  };
}
