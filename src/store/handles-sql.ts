import { toBigint } from './numeric.js';
import type { SqlDatabase } from './sql.js';
import type { HandleOutcome, PublicHandle } from './types.js';

/** PostgreSQL's unique_violation (both drivers report it as `code`). */
const UNIQUE_VIOLATION = '23505';

function toHandle(r: Record<string, unknown>): PublicHandle {
  return { userId: toBigint(r.id, 'users.id'), handle: String(r.handle) };
}

/** Public handles: the name a user shows on the public pages (never the email). */
export function handlesSql(db: SqlDatabase) {
  return {
    /**
     * Sets (or with null clears) a user's handle. The unique index on lower(handle) decides a
     * race: of two users asking for the same handle at once exactly one gets it.
     */
    async setPublicHandle(userId: bigint, handle: string | null): Promise<HandleOutcome> {
      try {
        const res = await db.query('UPDATE users SET handle = $2 WHERE id = $1', [userId, handle]);
        return res.rowCount === 1 ? 'set' : 'no-user';
      } catch (err) {
        if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return 'taken';
        throw err;
      }
    },

    async publicHandle(userId: bigint): Promise<string | null> {
      const res = await db.query<{ handle: string | null }>('SELECT handle FROM users WHERE id = $1', [userId]);
      return res.rows[0]?.handle ?? null;
    },

    /** The user with this handle, whatever its case (with the email, which callers never show). */
    async findByHandle(handle: string): Promise<(PublicHandle & { email: string }) | null> {
      const res = await db.query<Record<string, unknown>>('SELECT id, handle, email FROM users WHERE lower(handle) = lower($1)', [handle]);
      return res.rows.length ? { ...toHandle(res.rows[0]), email: String(res.rows[0].email) } : null;
    },

    async publicHandles(): Promise<PublicHandle[]> {
      const res = await db.query<Record<string, unknown>>('SELECT id, handle FROM users WHERE handle IS NOT NULL ORDER BY id');
      return res.rows.map(toHandle);
    },
  };
}
