/**
 * The repository of verifiable accounting (tables: store/verify-schema.ts): each user's random
 * credit key, and every published (job, root, total, leaves, signature). A root row is written
 * once and never changed: publishing again keeps the first.
 */
import type { JobId } from '../domain/index.js';
import { randomBytes } from 'node:crypto';
import { ProsperError } from '../errors.js';
import { migrateSchema, toBigint, toDate, toJobId, type SqlDatabase, type SqlExecutor } from '../store/index.js';
import { isCreditKey, type CreditLeaf } from './credit-tree.js';

export interface PublishedRoot {
  jobId: JobId;
  root: string;
  total: bigint;
  leaves: number;
  signature: string;
  /** The raw key that signed it (the pool's key at the time). */
  publicKey: string;
  publishedAt: Date;
}

/**
 * A published root with its settlement's figures (reward, fee, dust in 1e-8 PEG; the fee rate in
 * 1e-8 units). They come from the job's settlement row, written once before the root and never
 * changed, so they are as fixed as the root (every settlement has kept its fee rate since the
 * store's first schema: roots published before the fee rate was served need no migration).
 */
export interface RootWithSplit extends PublishedRoot {
  reward: bigint;
  feeRateE8: bigint;
  poolFee: bigint;
  dust: bigint;
  /** The payout scheme that paid the job, with the PPS rate or the PPLNS window it used. */
  scheme: string;
  ppsRateE18: bigint | null;
  pplnsWindow: bigint | null;
}

function toRoot(r: Record<string, unknown>): PublishedRoot {
  return {
    jobId: toJobId(r.job_id), root: String(r.root), total: toBigint(r.total), leaves: Number(toBigint(r.leaves)),
    signature: String(r.signature), publicKey: String(r.public_key), publishedAt: toDate(r.published_at),
  };
}

const WITH_SPLIT = 'SELECT r.*, s.reward, s.fee_rate_e8, s.fee, s.dust, s.scheme, s.pps_rate_e18, s.pplns_window FROM credit_roots r JOIN job_settlements s ON s.job_id = r.job_id';

function toRootWithSplit(row: Record<string, unknown>): RootWithSplit {
  return {
    ...toRoot(row), reward: toBigint(row.reward), feeRateE8: toBigint(row.fee_rate_e8), poolFee: toBigint(row.fee), dust: toBigint(row.dust), scheme: String(row.scheme),
    ppsRateE18: row.pps_rate_e18 == null ? null : toBigint(row.pps_rate_e18), pplnsWindow: row.pplns_window == null ? null : toBigint(row.pplns_window),
  };
}

export type CreditRootsSql = ReturnType<typeof creditRootsSql>;

/** The repository over a migrated schema (its tables are in the store's list, after users). */
export async function openCreditRoots(db: SqlDatabase): Promise<CreditRootsSql> {
  await migrateSchema(db);
  return creditRootsSql(db);
}

async function keysOf(q: SqlExecutor, userIds: readonly bigint[]): Promise<Map<bigint, string>> {
  if (userIds.length === 0) return new Map();
  const res = await q.query<Record<string, unknown>>('SELECT user_id, credit_key FROM credit_keys WHERE user_id = ANY($1::bigint[])', [`{${userIds.join(',')}}`]);
  return new Map(res.rows.map((r) => [toBigint(r.user_id), String(r.credit_key)]));
}

export function creditRootsSql(db: SqlDatabase, random: (n: number) => Buffer = randomBytes) {
  /** Gives every listed user a credit key if they have none; returns all their keys. */
  async function ensureKeys(userIds: readonly bigint[]): Promise<Map<bigint, string>> {
    const have = await keysOf(db, userIds);
    for (const id of userIds) {
      if (have.has(id)) continue;
      // Two callers may race here: the first key written stays (ON CONFLICT keeps it).
      await db.query('INSERT INTO credit_keys (user_id, credit_key) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [id, random(32).toString('hex')]);
    }
    return have.size === userIds.length ? have : keysOf(db, userIds);
  }

  async function readRoot(jobId: JobId): Promise<PublishedRoot | null> {
    const res = await db.query<Record<string, unknown>>('SELECT * FROM credit_roots WHERE job_id = $1', [jobId]);
    return res.rows[0] ? toRoot(res.rows[0]) : null;
  }

  return {
    ensureKeys,

    async creditKey(userId: bigint): Promise<string> {
      const key = (await ensureKeys([userId])).get(userId);
      if (!key) throw new ProsperError('PROSPER_E_VERIFY_KEY', `no credit key for user ${userId}`);
      return key;
    },

    /** Users the settled job split to. */
    async settledUsers(jobId: JobId): Promise<bigint[]> {
      const res = await db.query<Record<string, unknown>>('SELECT user_id FROM owed WHERE job_id = $1', [jobId]);
      return res.rows.map((r) => toBigint(r.user_id));
    },

    /** The leaves of a settled job: the credit of each user it split to, named by credit key. */
    async settledLeaves(jobId: JobId): Promise<CreditLeaf[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT k.credit_key, o.credit FROM owed o LEFT JOIN credit_keys k ON k.user_id = o.user_id
          WHERE o.job_id = $1 AND o.credit > 0`,
        [jobId],
      );
      return res.rows.map((r) => {
        if (!isCreditKey(r.credit_key)) throw new ProsperError('PROSPER_E_VERIFY_KEY', `a user credited in job ${jobId} has no credit key`);
        return { creditKey: r.credit_key, credit: toBigint(r.credit) };
      });
    },

    /** Records a root unless the job has one; returns what is recorded (the first, always). */
    async recordRoot(r: Omit<PublishedRoot, 'publishedAt'>, now: Date): Promise<{ root: PublishedRoot; created: boolean }> {
      const ins = await db.query(
        `INSERT INTO credit_roots (job_id, root, total, leaves, signature, public_key, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (job_id) DO NOTHING`,
        [r.jobId, r.root, r.total, r.leaves, r.signature, r.publicKey, now],
      );
      const stored = await readRoot(r.jobId);
      if (!stored) throw new ProsperError('PROSPER_E_VERIFY_ROOT', `credit root of job ${r.jobId} vanished`);
      return { root: stored, created: ins.rowCount === 1 };
    },

    root: readRoot,

    async rootWithSplit(jobId: JobId): Promise<RootWithSplit | null> {
      const res = await db.query<Record<string, unknown>>(`${WITH_SPLIT} WHERE r.job_id = $1`, [jobId]);
      return res.rows[0] ? toRootWithSplit(res.rows[0]) : null;
    },

    /** Newest first. */
    async listRoots(limit: number, offset: number): Promise<RootWithSplit[]> {
      const res = await db.query<Record<string, unknown>>(`${WITH_SPLIT} ORDER BY r.job_id DESC LIMIT $1 OFFSET $2`, [limit, offset]);
      return res.rows.map(toRootWithSplit);
    },

    async countRoots(): Promise<number> {
      const res = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM credit_roots');
      return Number(toBigint(res.rows[0]?.n ?? 0));
    },

    /** Settled jobs with credit but no published root (a stop between the two steps). */
    async unpublishedJobs(): Promise<JobId[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT s.job_id FROM job_settlements s WHERE s.total_credit > 0
           AND NOT EXISTS (SELECT 1 FROM credit_roots r WHERE r.job_id = s.job_id) ORDER BY s.job_id`,
      );
      return res.rows.map((r) => toJobId(r.job_id));
    },

    /**
     * The roots a payout batch pays: for each payee, the jobs settled since the payee's previous
     * (not cancelled) batch, whose owed amounts make up what this batch pays them.
     */
    async rootsPaidBy(batchId: string): Promise<{ jobId: JobId; root: string }[]> {
      const res = await db.query<Record<string, unknown>>(
        `SELECT DISTINCT r.job_id, r.root FROM payout_items i
           JOIN owed o ON o.user_id = i.user_id
           JOIN job_settlements s ON s.job_id = o.job_id
           JOIN credit_roots r ON r.job_id = o.job_id
          WHERE i.batch_id = $1
            AND s.settled_at > COALESCE((SELECT max(b.created_at) FROM payout_batches b JOIN payout_items p ON p.batch_id = b.id
                                         WHERE p.user_id = i.user_id AND b.id <> $1 AND b.status <> 'cancelled'), '-infinity'::timestamptz)
          ORDER BY r.job_id`,
        [batchId],
      );
      return res.rows.map((r) => ({ jobId: toJobId(r.job_id), root: String(r.root) }));
    },
  };
}
