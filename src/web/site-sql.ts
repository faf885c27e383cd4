/**
 * The public site's reads of the pool's block and payout tables (pegnet_synced_blocks,
 * pegnet_graded_oprs, entry_submissions, job_settlements, payout_*), all parameterised. Only
 * a pool's database has the block tables; a server without them leaves these routes out.
 */
import { winnerCount, type OprVersion } from '../pegnet/activation.js';
import { GRADE_CUTOFF } from '../pegnet/grade.js';
import { toBigint, toDate, type SqlDatabase } from '../store/index.js';
import { blockEffort, competitorWork, WINNERS_PER_BLOCK } from './network-figures.js';

const big = (v: unknown, c: string) => (v === null || v === undefined ? 0n : toBigint(v, c));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface SiteBlockRow {
  height: number;
  time: Date;
  graded: boolean;
  /** The pool's OPR entries written for the block. */
  submitted: number;
  /** Of them, in the graded set (top 50 by difficulty). */
  inGraded: number;
  won: number;
  reward: bigint;
  /** 'open' until the reward is split among the miners, then 'settled'. */
  status: 'open' | 'settled';
  /** The pool's work for the block: its credit (expected hashes). */
  work: number;
  /** The competitors' estimated work for the block (network-figures.ts competitorWork). */
  competitorWork: number;
  /** Work over the work expected for the winner slots taken (network-figures.ts blockEffort); null when nothing won. */
  effort: number | null;
}

export interface SubmissionVerdict {
  entryHash: string;
  target: bigint;
  submittedAt: Date;
  /** Its place in the graded set by grade (0 = best), null when not in it. */
  position: number | null;
  grade: number | null;
  /** Why it won or not, in words. */
  verdict: string;
}

export interface BlockDetail extends SiteBlockRow {
  version: number | null;
  /** OPRs that passed validation. */
  accepted: number;
  /** OPRs in the graded set and its lowest difficulty (the cutoff a submission had to reach). */
  spot: number;
  cutoff: bigint;
  maxDifficulty: bigint;
  submissions: SubmissionVerdict[];
  settlement: { reward: bigint; fee: bigint; dust: bigint; miners: number } | null;
}

export interface PublicPayment {
  batchId: string;
  status: string;
  createdAt: Date;
  entryHash: string | null;
  total: bigint;
  /** Each entry: the handle when the user has one, else null (never an email or address). */
  entries: { handle: string | null; amount: bigint }[];
}

export interface NetworkView {
  lastGraded: { height: number; version: number; spot: number; poolGraded: number; cutoff: bigint; maxDifficulty: bigint; time: Date } | null;
  syncedHeight: number | null;
}

function verdictOf(s: { position: number | null; grade: number | null; target: bigint }, cutoff: bigint, graded: boolean, spot: number): string {
  if (!graded) return 'the block was not graded (too few OPRs)';
  if (s.position === null) {
    return spot >= GRADE_CUTOFF && s.target < cutoff
      ? `difficulty below the graded set's cutoff: only the best ${GRADE_CUTOFF} by difficulty are graded`
      : 'not in the graded set (rejected by validation or out-ranked by difficulty)';
  }
  return s.position < WINNERS_PER_BLOCK
    ? `won: place ${s.position + 1} by price distance`
    : `in the graded set, but its price distance ranked ${s.position + 1}, beyond the ${WINNERS_PER_BLOCK} winners`;
}

const BLOCK_SELECT = `b.height, b.graded, b.synced_at, b.version, b.accepted, b.spot, b.min_difficulty, b.max_difficulty,
  COALESCE(b.pool_graded, 0) AS pool_graded, COALESCE(b.pool_winning, 0) AS pool_winning, COALESCE(b.pool_reward, 0) AS pool_reward,
  (SELECT count(*) FROM entry_submissions e WHERE e.job_id = b.height AND e.status <> 'failed') AS submitted,
  EXISTS (SELECT 1 FROM job_settlements s WHERE s.job_id = b.height) AS settled,
  (SELECT SUM(c.credit) FROM job_credits c WHERE c.job_id = b.height) AS credit`;

function blockRow(r: Record<string, unknown>): SiteBlockRow {
  const won = num(r.pool_winning);
  const counts = { spot: num(r.spot), poolGraded: num(r.pool_graded), cutoff: big(r.min_difficulty, 'min_difficulty') };
  const work = Number(big(r.credit, 'credit'));
  const winners = r.version == null ? WINNERS_PER_BLOCK : winnerCount(num(r.version) as OprVersion);
  return {
    work, competitorWork: competitorWork(counts), effort: blockEffort(work, won, counts, winners),
    height: Number(big(r.height, 'height')), time: toDate(r.synced_at), graded: r.graded === true, submitted: num(r.submitted),
    inGraded: num(r.pool_graded), won, reward: big(r.pool_reward, 'pool_reward'), status: r.settled === true ? 'settled' : 'open',
  };
}

/** How far back the pool's earnings per hash are measured for the expected earnings. */
export const EARNINGS_LOOKBACK_DAYS = 7;

/**
 * A miner's expected earnings per day at its current rate, with the band of its hashrate:
 * hashes a day times what the pool paid its miners per credited hash lately (1e-8 PEG units).
 */
export function expectedPerDay(f: { value: number; low: number; high: number }, pegPerHash: number) {
  const day = 86400 * pegPerHash;
  return { value: f.value * day, low: f.low * day, high: f.high * day, pegPerHash, lookbackDays: EARNINGS_LOOKBACK_DAYS };
}

/** How the operator has paid so far: the last paid batch and the median gap between paid batches. */
export interface PayoutCadence {
  /** Paid batches (recorded by `db record`). */
  batches: number;
  /** Unix ms the last paid batch was written; null before the first. */
  lastBatchAt: number | null;
  /** Median seconds between two paid batches (null with fewer than two). */
  typicalIntervalSeconds: number | null;
}

/** The median gap between consecutive times (unix ms, any order), seconds; null with fewer than two. */
export function typicalInterval(times: number[]): number | null {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => (t - sorted[i]!) / 1000).sort((a, b) => a - b);
  if (gaps.length === 0) return null;
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/** Paid batches looked at for the typical interval. */
const CADENCE_BATCHES = 50;

export function createSiteSql(db: SqlDatabase) {
  return {
    async payoutCadence(): Promise<PayoutCadence> {
      const [recent, count] = await Promise.all([
        db.query<{ created_at: unknown }>("SELECT created_at FROM payout_batches WHERE status = 'paid' ORDER BY created_at DESC LIMIT $1", [CADENCE_BATCHES]),
        db.query<{ n: unknown }>("SELECT count(*) AS n FROM payout_batches WHERE status = 'paid'"),
      ]);
      const times = recent.rows.map((r) => toDate(r.created_at).getTime());
      return { batches: num(count.rows[0]?.n), lastBatchAt: times[0] ?? null, typicalIntervalSeconds: typicalInterval(times) };
    },

    /**
     * 1e-8 PEG the miners were owed per credited hash (credit is expected hashes) over the last
     * days: the rewards split (less fee and dust) of jobs settled then over all credit of jobs
     * mined then, won or not. 0 when nothing was mined.
     */
    async pegPerHash(now: Date): Promise<number> {
      const since = new Date(now.getTime() - EARNINGS_LOOKBACK_DAYS * 86400_000);
      const [paid, credit] = await Promise.all([
        db.query<{ v: unknown }>('SELECT COALESCE(SUM(reward - fee - dust), 0) AS v FROM job_settlements WHERE settled_at >= $1', [since]),
        db.query<{ v: unknown }>('SELECT COALESCE(SUM(credit), 0) AS v FROM job_credits WHERE last_share >= $1', [since]),
      ]);
      const c = Number(credit.rows[0]?.v ?? 0);
      return c > 0 ? Number(paid.rows[0]?.v ?? 0) / c : 0;
    },

    /** Blocks the pool took part in (wrote OPRs for, or was graded in), newest first. */
    async blocks(limit: number, offset: number): Promise<{ data: SiteBlockRow[]; total: number }> {
      const where = `WHERE COALESCE(b.pool_graded, 0) > 0 OR EXISTS (SELECT 1 FROM entry_submissions e WHERE e.job_id = b.height)`;
      const [rows, count] = await Promise.all([
        db.query<Record<string, unknown>>(`SELECT ${BLOCK_SELECT} FROM pegnet_synced_blocks b ${where} ORDER BY b.height DESC LIMIT $1 OFFSET $2`, [limit, offset]),
        db.query<{ n: unknown }>(`SELECT count(*) AS n FROM pegnet_synced_blocks b ${where}`),
      ]);
      return { data: rows.rows.map(blockRow), total: num(count.rows[0]?.n) };
    },

    async block(height: number): Promise<BlockDetail | null> {
      const head = await db.query<Record<string, unknown>>(`SELECT ${BLOCK_SELECT} FROM pegnet_synced_blocks b WHERE b.height = $1`, [height]);
      const h = head.rows[0];
      if (!h) return null;
      const [subs, settle] = await Promise.all([
        db.query<Record<string, unknown>>(
          `SELECT e.entry_hash, e.target, e.submitted_at, g.position, g.grade FROM entry_submissions e
             LEFT JOIN pegnet_graded_oprs g ON g.height = e.job_id AND g.entry_hash = e.entry_hash
            WHERE e.job_id = $1 AND e.status <> 'failed' ORDER BY e.target DESC, e.entry_hash`, [height]),
        db.query<Record<string, unknown>>(
          'SELECT s.reward, s.fee, s.dust, (SELECT count(*) FROM owed o WHERE o.job_id = s.job_id) AS miners FROM job_settlements s WHERE s.job_id = $1', [height]),
      ]);
      const row = blockRow(h);
      const cutoff = big(h.min_difficulty, 'min_difficulty');
      const spot = num(h.spot);
      const s = settle.rows[0];
      return {
        ...row, version: h.version == null ? null : num(h.version), accepted: num(h.accepted), spot, cutoff, maxDifficulty: big(h.max_difficulty, 'max_difficulty'),
        submissions: subs.rows.map((r) => {
          const v = { position: r.position == null ? null : num(r.position), grade: r.grade == null ? null : Number(r.grade), target: big(r.target, 'target') };
          return { entryHash: String(r.entry_hash), target: v.target, submittedAt: toDate(r.submitted_at), position: v.position, grade: v.grade, verdict: verdictOf(v, cutoff, row.graded, spot) };
        }),
        settlement: s ? { reward: big(s.reward, 'reward'), fee: big(s.fee, 'fee'), dust: big(s.dust, 'dust'), miners: num(s.miners) } : null,
      };
    },

    async payments(limit: number): Promise<PublicPayment[]> {
      const batches = await db.query<Record<string, unknown>>('SELECT id, status, created_at, entry_hash FROM payout_batches ORDER BY created_at DESC, id LIMIT $1', [limit]);
      if (batches.rows.length === 0) return [];
      const items = await db.query<Record<string, unknown>>(
        `SELECT i.batch_id, i.amount, u.handle FROM payout_items i JOIN users u ON u.id = i.user_id
          WHERE i.batch_id IN (SELECT id FROM payout_batches ORDER BY created_at DESC, id LIMIT $1) ORDER BY i.amount DESC, i.user_id`, [limit]);
      return batches.rows.map((b) => {
        const entries = items.rows.filter((i) => i.batch_id === b.id).map((i) => ({ handle: i.handle == null ? null : String(i.handle), amount: big(i.amount, 'amount') }));
        return {
          batchId: String(b.id), status: String(b.status), createdAt: toDate(b.created_at), entryHash: b.entry_hash == null ? null : String(b.entry_hash),
          total: entries.reduce((t, e) => t + e.amount, 0n), entries,
        };
      });
    },

    async network(): Promise<NetworkView> {
      const [g, top] = await Promise.all([
        db.query<Record<string, unknown>>('SELECT height, version, spot, COALESCE(pool_graded, 0) AS pool_graded, min_difficulty, max_difficulty, synced_at FROM pegnet_synced_blocks WHERE graded AND spot > 0 ORDER BY height DESC LIMIT 1'),
        db.query<{ h: unknown }>('SELECT max(height) AS h FROM pegnet_synced_blocks'),
      ]);
      const r = g.rows[0];
      const lastGraded = r ? {
        height: num(r.height), version: num(r.version), spot: num(r.spot), poolGraded: num(r.pool_graded), cutoff: big(r.min_difficulty, 'min_difficulty'),
        maxDifficulty: big(r.max_difficulty, 'max_difficulty'), time: toDate(r.synced_at),
      } : null;
      return { lastGraded, syncedHeight: top.rows[0]?.h == null ? null : num(top.rows[0].h) };
    },
  };
}

export type SiteSql = ReturnType<typeof createSiteSql>;
