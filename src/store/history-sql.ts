import { toBigint, toDate } from './numeric.js';
import type { SqlDatabase } from './sql.js';
import type { HistoryPoint, HistoryQuery, HistorySample } from './types.js';

/**
 * The hashrate history: each sample of the figures (pool, users, miners) as rows, read back one
 * point per step (the newest sample in each step, so every point is a figure the pool showed).
 */
export function historySql(db: SqlDatabase) {
  return {
    async recordHistory(at: Date, samples: readonly HistorySample[]): Promise<void> {
      if (samples.length === 0) return;
      // One multi-row insert per chunk; a sample already written (a retried tick) is kept as it was.
      const CHUNK = 500;
      for (let i = 0; i < samples.length; i += CHUNK) {
        const part = samples.slice(i, i + CHUNK);
        const params: (string | number | bigint | Date)[] = [at];
        const values = part.map((s) => {
          params.push(s.kind, s.userId, s.miner, s.value, s.low, s.high, s.shares, s.workers);
          const n = params.length;
          return `($${n - 7}, $${n - 6}, $${n - 5}, $1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
        });
        await db.query(
          `INSERT INTO hashrate_history (kind, user_id, miner, at, value, low, high, shares, workers) VALUES ${values.join(', ')}
           ON CONFLICT (kind, user_id, miner, at) DO NOTHING`,
          params,
        );
      }
    },

    async hashrateHistory(q: HistoryQuery): Promise<HistoryPoint[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT DISTINCT ON (step) floor(extract(epoch FROM at) / $5) AS step, at, value, low, high, shares, workers
           FROM hashrate_history
          WHERE kind = $1 AND user_id = $2 AND miner = $3 AND at >= $4
          ORDER BY step, at DESC`,
        [q.kind, q.userId, q.miner, q.since, q.stepSeconds],
      );
      return res.rows.map((r) => ({
        at: toDate(r.at), value: Number(r.value), low: Number(r.low), high: Number(r.high),
        shares: Number(toBigint(r.shares, 'shares')), workers: Number(r.workers),
      }));
    },

    async pruneHistory(before: Date): Promise<number> {
      const res = await db.query('DELETE FROM hashrate_history WHERE at < $1', [before]);
      return res.rowCount;
    },
  };
}
