import type { JobId } from '../domain/index.js';
import type { EmaPoint, SubmissionRecord } from '../submit/index.js';
import { toBigint, toJobId, uint64Param } from './numeric.js';
import type { Migration } from './schema.js';
import type { SqlDatabase } from './sql.js';

/** What the pool persists beside share credit and synced blocks: submissions and the EMA history. */
export interface PoolRecords {
  /** Records a submission with the OPR hash of its job (when the job is still known). */
  record(r: SubmissionRecord, oprHash?: Uint8Array): Promise<void>;
  recordEma(p: EmaPoint, cutoff: number, n: number): Promise<void>;
  /** The newest EMA value, so a restart does not relearn the history. */
  lastEma(): Promise<bigint | undefined>;
  /** Entries already written (not failed) for a job: a restart must not reset the job's cutoff. */
  submittedFor(jobId: JobId): Promise<number>;
  /** Jobs with credited work but no settlement whose block the sync has recorded, with the pool's reward for it. */
  unsettledJobs(): Promise<{ jobId: JobId; reward: bigint }[]>;
}

const POOL_RECORDS_SQL = `
CREATE TABLE submit_ema (
  block_height   bigint PRIMARY KEY,
  job_id         bigint NOT NULL,
  cutoff         integer NOT NULL,
  n              integer NOT NULL,
  minimum_target numeric(20,0) NOT NULL,
  ema_value      numeric(20,0) NOT NULL,
  last_graded    numeric(20,0) NOT NULL,
  spots          integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE entry_submissions (
  entry_hash   text PRIMARY KEY,
  job_id       bigint NOT NULL,
  commit_tx_id text NOT NULL,
  target       numeric(20,0) NOT NULL,
  nonce        text NOT NULL,
  user_id      text,
  miner        text,
  status       text NOT NULL CHECK (status IN ('revealed', 'acknowledged', 'failed')),
  error        text,
  attempts     integer NOT NULL,
  submitted_at timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entry_submissions_job ON entry_submissions (job_id);
`;

/**
 * entry_submissions.user_id was text holding the users row id in decimal (the store's
 * authorizer hands Stratum `id.toString()`), so the web joined it as `u.id::text`. It becomes
 * bigint like users.id. A value that is not a canonical decimal bigint (another authorizer's
 * name, a leading zero; never written by the pool's own authorizer) cannot have matched a user
 * before: it moves, untouched, to `unlinked_user_id` and user_id becomes NULL, so nothing is
 * lost and every row joins the same user as before (docs/design.md, "Ids").
 */
const USER_ID_BIGINT_SQL = `
ALTER TABLE entry_submissions ADD COLUMN unlinked_user_id text;
UPDATE entry_submissions SET unlinked_user_id = user_id, user_id = NULL
 WHERE user_id IS NOT NULL
   AND CASE WHEN user_id ~ '^(0|[1-9][0-9]{0,18})$' THEN user_id::numeric > 9223372036854775807 ELSE true END;
ALTER TABLE entry_submissions ALTER COLUMN user_id TYPE bigint USING user_id::bigint;
`;

/** The submission tables (component 'engine', the name they had when the engine kept them). */
export const POOL_RECORDS_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'submission EMA and entry submissions', sql: POOL_RECORDS_SQL },
  // The OPR hash of the job an entry was written for, so the submissions list shows it after a restart.
  { version: 2, name: 'OPR hash of each submission', sql: 'ALTER TABLE entry_submissions ADD COLUMN opr_hash text' },
  { version: 3, name: 'entry submissions user id as the users id type', sql: USER_ID_BIGINT_SQL },
];

/** PoolRecords on the pool's SQL database. */
export function createSqlPoolRecords(db: SqlDatabase): PoolRecords {
  return {
    async record(r: SubmissionRecord, oprHash?: Uint8Array) {
      // One row per entry: the ack check updates the row the reveal wrote.
      await db.query(
        `INSERT INTO entry_submissions (entry_hash, job_id, commit_tx_id, target, nonce, user_id, miner, status, error, attempts, submitted_at, opr_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (entry_hash) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,
           opr_hash = COALESCE(EXCLUDED.opr_hash, entry_submissions.opr_hash),
           commit_tx_id = CASE WHEN EXCLUDED.commit_tx_id = '' THEN entry_submissions.commit_tx_id ELSE EXCLUDED.commit_tx_id END,
           attempts = GREATEST(entry_submissions.attempts, EXCLUDED.attempts), updated_at = now()`,
        [r.entryHash, r.jobId, r.commitTxId, uint64Param(r.target, 'target'), r.nonce, r.userId ?? null,
          r.minerId ?? null, r.status, r.error ?? null, r.attempts, new Date(r.submittedAt), oprHash ? Buffer.from(oprHash).toString('hex') : null],
      );
    },
    async recordEma(p: EmaPoint, cutoff: number, n: number) {
      await db.query(
        `INSERT INTO submit_ema (block_height, job_id, cutoff, n, minimum_target, ema_value, last_graded, spots)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (block_height) DO UPDATE SET minimum_target = EXCLUDED.minimum_target, ema_value = EXCLUDED.ema_value,
           last_graded = EXCLUDED.last_graded, spots = EXCLUDED.spots, cutoff = EXCLUDED.cutoff, n = EXCLUDED.n`,
        [p.height, p.height + 1, cutoff, n, uint64Param(p.minimumTarget), uint64Param(p.ema), uint64Param(p.lastGraded), p.spots],
      );
    },
    async unsettledJobs() {
      const r = await db.query<{ job_id: unknown; pool_reward: unknown }>(
        `SELECT DISTINCT c.job_id, b.pool_reward FROM job_credits c
           JOIN pegnet_synced_blocks b ON b.height = c.job_id
           LEFT JOIN job_settlements s ON s.job_id = c.job_id
          WHERE s.job_id IS NULL ORDER BY c.job_id`,
      );
      return r.rows.map((row) => ({ jobId: toJobId(row.job_id), reward: row.pool_reward === null ? 0n : toBigint(row.pool_reward, 'pool_reward') }));
    },
    async lastEma() {
      const r = await db.query<{ ema_value: unknown }>('SELECT ema_value FROM submit_ema ORDER BY block_height DESC LIMIT 1');
      return r.rows[0] ? toBigint(r.rows[0].ema_value, 'ema_value') : undefined;
    },
    async submittedFor(jobId: JobId) {
      const r = await db.query<{ n: unknown }>("SELECT count(*) AS n FROM entry_submissions WHERE job_id = $1 AND status <> 'failed'", [jobId]);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}
