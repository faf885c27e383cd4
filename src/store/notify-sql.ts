import type { UserId } from '../domain/index.js';
import { toBigint } from './numeric.js';
import type { Migration } from './schema.js';
import type { SqlDatabase } from './sql.js';

/**
 * The notifier's tables: which recorded payout batches were announced (payouts are recorded by
 * `prosper-pool db record`, another process, so the pool finds them here), and each user's own
 * webhook URL and signing secret.
 */
export const NOTIFY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'announced payouts and user webhooks',
    sql: `
CREATE TABLE notify_payouts (
  batch_id     text PRIMARY KEY REFERENCES payout_batches(id),
  announced_at timestamptz NOT NULL
);
-- Batches recorded before webhooks existed are not announced now.
INSERT INTO notify_payouts (batch_id, announced_at) SELECT id, now() FROM payout_batches WHERE status = 'paid';
CREATE TABLE user_webhooks (
  user_id    bigint PRIMARY KEY REFERENCES users(id),
  url        text NOT NULL,
  secret     text NOT NULL,
  updated_at timestamptz NOT NULL
);
`,
  },
];

export interface RecordedPayout {
  batchId: string;
  entryHash: string;
  recordedAt: Date;
  items: { userId: UserId; address: string; amount: string }[];
}

export interface UserWebhook {
  url: string;
  secret: string;
}

export interface NotifyStore {
  /** Paid batches not yet announced, oldest recorded first. */
  unannouncedPayouts(limit: number): Promise<RecordedPayout[]>;
  markAnnounced(batchId: string, at: Date): Promise<void>;
  userWebhook(userId: UserId): Promise<UserWebhook | null>;
  setUserWebhook(userId: UserId, hook: UserWebhook | null, at: Date): Promise<void>;
}

export function createSqlNotifyStore(db: SqlDatabase): NotifyStore {
  return {
    async unannouncedPayouts(limit) {
      const batches = await db.query<{ id: string; entry_hash: string; recorded_at: Date }>(
        `SELECT b.id, b.entry_hash, b.recorded_at FROM payout_batches b LEFT JOIN notify_payouts n ON n.batch_id = b.id
         WHERE b.status = 'paid' AND n.batch_id IS NULL ORDER BY b.recorded_at, b.id LIMIT $1`, [limit]);
      const out: RecordedPayout[] = [];
      for (const b of batches.rows) {
        const items = await db.query<{ user_id: string | bigint; address: string; amount: string | bigint }>(
          'SELECT user_id, address, amount FROM payout_items WHERE batch_id = $1 ORDER BY user_id', [b.id]);
        out.push({
          batchId: String(b.id), entryHash: String(b.entry_hash), recordedAt: new Date(b.recorded_at),
          items: items.rows.map((r) => ({ userId: toBigint(r.user_id, 'user_id'), address: String(r.address), amount: String(r.amount) })),
        });
      }
      return out;
    },
    async markAnnounced(batchId, at) {
      await db.query('INSERT INTO notify_payouts (batch_id, announced_at) VALUES ($1, $2) ON CONFLICT (batch_id) DO NOTHING', [batchId, at]);
    },
    async userWebhook(userId) {
      const r = await db.query<{ url: string; secret: string }>('SELECT url, secret FROM user_webhooks WHERE user_id = $1', [userId]);
      const row = r.rows[0];
      return row ? { url: String(row.url), secret: String(row.secret) } : null;
    },
    async setUserWebhook(userId, hook, at) {
      if (hook === null) await db.query('DELETE FROM user_webhooks WHERE user_id = $1', [userId]);
      else {
        await db.query(
          `INSERT INTO user_webhooks (user_id, url, secret, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at`, [userId, hook.url, hook.secret, at]);
      }
    },
  };
}
