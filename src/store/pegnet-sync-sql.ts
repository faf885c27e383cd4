/**
 * SyncStore on the pool's SQL database (PostgreSQL or PGlite through src/store's
 * SqlDatabase). Two tables (pegnet-schema.ts): one row per synced height, and the
 * graded OPRs of each graded block. A block is written in one transaction, replacing
 * what a previous run wrote for that height.
 */
import { ProsperError } from '../errors.js';
import { isOprVersion } from '../pegnet/activation.js';
import type { GradedBlockRecord, SyncedBlock, SyncStore } from '../pegnet/sync-types.js';
import { migrateSchema } from './migrations.js';
import { toBigint, uint64Param } from './numeric.js';
import type { SqlDatabase } from './sql.js';

/** Short hashes are 16 hex chars or '' (bootstrap), so a comma list is unambiguous. */
const joinHashes = (l: readonly string[]) => l.join(',');
const splitHashes = (s: string, count?: number): string[] => (s === '' ? new Array<string>(count ?? 0).fill('') : s.split(','));

export interface SqlSyncStore extends SyncStore {
  /** The graded block recorded at `height`, if the block had OPRs. */
  gradedBlock(height: number): Promise<GradedBlockRecord | undefined>;
}

export async function createSqlSyncStore(db: SqlDatabase): Promise<SqlSyncStore> {
  await migrateSchema(db);
  const winnersFromRow = (text: unknown): string[] => {
    const s = String(text);
    // A list of n empty strings is stored as n-1 commas; '' alone cannot be told from one
    // empty item, so the count is kept in a prefix.
    const m = /^(\d+):(.*)$/s.exec(s);
    if (!m) throw new ProsperError('PROSPER_E_PEGNET_STORE', `bad winners column: ${s.slice(0, 40)}`);
    return splitHashes(m[2]!, Number(m[1])).slice(0, Number(m[1]));
  };
  const winnersToRow = (l: readonly string[]) => `${l.length}:${joinHashes(l)}`;

  return {
    async lastSyncedHeight() {
      const r = await db.query<{ h: unknown }>('SELECT max(height) AS h FROM pegnet_synced_blocks');
      const h = r.rows[0]?.h;
      return h === null || h === undefined ? undefined : Number(toBigint(h, 'height'));
    },

    async previousWinnersFor(height) {
      const r = await db.query<{ w: unknown }>(
        'SELECT next_previous_winners AS w FROM pegnet_synced_blocks WHERE height < $1 ORDER BY height DESC LIMIT 1',
        [height],
      );
      return r.rows.length ? winnersFromRow(r.rows[0]!.w) : undefined;
    },

    async recordBlock(block: SyncedBlock) {
      const g = block.graded;
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM pegnet_synced_blocks WHERE height = $1', [block.height]);
        await tx.query(
          `INSERT INTO pegnet_synced_blocks (height, graded, version, accepted, winners, next_previous_winners, spot,
             min_difficulty, max_difficulty, pool_graded, pool_winning, pool_reward)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            block.height, g !== undefined, g?.version ?? null, g?.accepted ?? null, g ? winnersToRow(g.winners) : null,
            winnersToRow(block.nextPreviousWinners), g?.difficulty.spot ?? null,
            g ? uint64Param(g.difficulty.minimum, 'min_difficulty') : null, g ? uint64Param(g.difficulty.maximum, 'max_difficulty') : null,
            g?.poolReward.graded ?? null, g?.poolReward.winning ?? null, g ? uint64Param(g.poolReward.reward, 'pool_reward') : null,
          ],
        );
        if (!g) return;
        for (let i = 0; i < g.graded.length; i++) {
          const o = g.graded[i]!;
          await tx.query(
            `INSERT INTO pegnet_graded_oprs (height, ord, position, entry_hash, identity, address, difficulty, grade, payout)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [block.height, i, o.position, o.entryHash, o.identity, o.address, uint64Param(o.difficulty, 'difficulty'), o.grade, uint64Param(o.payout, 'payout')],
          );
        }
      });
    },

    async gradedBlock(height) {
      const b = await db.query<Record<string, unknown>>('SELECT * FROM pegnet_synced_blocks WHERE height = $1 AND graded', [height]);
      const row = b.rows[0];
      if (!row) return undefined;
      const version = Number(row.version);
      if (!isOprVersion(version)) throw new ProsperError('PROSPER_E_PEGNET_STORE', `bad version ${String(row.version)} at ${height}`);
      const oprs = await db.query<Record<string, unknown>>('SELECT * FROM pegnet_graded_oprs WHERE height = $1 ORDER BY ord', [height]);
      return {
        height,
        version,
        accepted: Number(row.accepted),
        graded: oprs.rows.map((o) => ({
          position: Number(o.position),
          entryHash: String(o.entry_hash),
          identity: String(o.identity),
          address: String(o.address),
          difficulty: toBigint(o.difficulty, 'difficulty'),
          grade: Number(o.grade),
          payout: toBigint(o.payout, 'payout'),
        })),
        winners: winnersFromRow(row.winners),
        nextPreviousWinners: winnersFromRow(row.next_previous_winners),
        difficulty: { spot: Number(row.spot), minimum: toBigint(row.min_difficulty), maximum: toBigint(row.max_difficulty) },
        poolReward: { graded: Number(row.pool_graded), winning: Number(row.pool_winning), reward: toBigint(row.pool_reward) },
      };
    },
  };
}
