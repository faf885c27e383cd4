import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import type { SchemeFields, SettlementHistory, SettlementPlan, UserCredit } from '../store/index.js';
import { seededRandom } from '../validation/prng.js';
import { CREDIT_PER_PDIFF } from './credit.js';
import { FEE_RATE_ONE } from './fee-rate.js';
import { poisson, poolBlockReward } from './pool-luck.js';
import { planSettlement, type SchemeSettings } from './settle-plan.js';

/** One simulated miner: a name and a hashrate (H/s). */
export interface SimMiner {
  name: string;
  hashrate: number;
}

export interface PayoutSimOptions {
  settings: SchemeSettings;
  blocks: number;
  miners: readonly SimMiner[];
  seed: number;
  /** Hashrate of the rest of the network (H/s); default 9x the pool's (the pool holds 10 %). */
  networkHashrate?: number;
  /** Blocks settled before the measured ones, so the running averages have history. Default 2 x ppswindow. */
  warmup?: number;
  /** The PPS reserve at the start (1e-8 PEG). */
  reserve?: bigint;
  blockSeconds?: number;
  /** Keep every measured block's credits and settlement (tests). */
  keepBlocks?: boolean;
}

export interface SimMinerResult {
  name: string;
  hashrateShare: number;
  /** Per block, 1e-8 PEG: hashrate share x mean pool reward x (1 - fee). */
  fair: bigint;
  /** Per block, 1e-8 PEG. */
  meanPaid: bigint;
  /** Standard deviation of the miner's daily pay over its mean; null with fewer than two whole days. */
  dailyRelStd: number | null;
}

export interface SimBlock {
  jobId: JobId;
  credits: UserCredit[];
  plan: SettlementPlan & SchemeFields;
}

export interface PayoutSimResult {
  scheme: SchemeSettings['scheme'];
  blocks: number;
  seed: number;
  poolShare: number;
  /** Sum of the measured blocks' pool rewards, 1e-8 PEG. */
  rewards: bigint;
  miners: SimMinerResult[];
  /** PPS: the reserve after every measured block; its minimum. null for PROP and PPLNS. */
  reservePath: bigint[] | null;
  reserveMin: bigint | null;
  /** Measured blocks PPS paid by PPLNS instead. */
  fallbacks: number;
  kept: SimBlock[];
}

const BLOCKS_PER_DAY = 144;
/** Vardiff aims for a share every 10 s: 60 a block, never easier than difficulty 1. */
const SHARES_PER_BLOCK = 60;
/** Jobs whose single shares the simulation keeps (a PPLNS window edge falls in one of them). */
const KEPT_SHARE_JOBS = 64;

function relStd(xs: readonly bigint[]): number | null {
  if (xs.length < 2) return null;
  const v = xs.map(Number);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  if (mean === 0) return null;
  const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1);
  return Math.sqrt(variance) / mean;
}

/** The settled history the simulation keeps in memory, as the store keeps it in its tables. */
class SimHistory implements SettlementHistory {
  readonly jobs: { jobId: JobId; credits: UserCredit[] }[] = [];
  /** The recent jobs' shares, newest first (older ones are dropped, as the pool prunes raw shares). */
  private readonly shares = new Map<JobId, UserCredit[]>();
  emaReward: bigint | null = null;
  emaCredit: bigint | null = null;
  constructor(public reserve: bigint) {}
  async state() {
    return { emaReward: this.emaReward, emaCredit: this.emaCredit, reserve: this.reserve };
  }
  async jobsBefore(jobId: JobId, limit: number) {
    // Job ids are 1..n in order: job k sits at index k - 1.
    const end = Math.min(jobId - 1, this.jobs.length);
    return this.jobs.slice(Math.max(0, end - limit), end).reverse();
  }
  async sharesOf(jobId: JobId) {
    return this.shares.get(jobId) ?? [];
  }
  addShares(jobId: JobId, newestFirst: UserCredit[]): void {
    this.shares.set(jobId, newestFirst);
    this.shares.delete(jobId - KEPT_SHARE_JOBS);
  }
  record(jobId: JobId, credits: UserCredit[], plan: SchemeFields): void {
    this.jobs.push({ jobId, credits });
    this.emaReward = plan.emaReward;
    this.emaCredit = plan.emaCredit;
    this.reserve += plan.reserveDelta;
  }
}

/**
 * Runs the pool's real settlement (planSettlement, as the accountant runs it) over simulated
 * blocks: each miner's shares arrive as a Poisson process at its hashrate (credit per share by
 * vardiff), and the pool's reward per block comes from PegNet's grading odds (pool-luck.ts).
 * Pool luck and share arrivals use separate streams of the seed, so two schemes run with one
 * seed see the same blocks and the same shares.
 */
export async function simulatePayouts(o: PayoutSimOptions): Promise<PayoutSimResult> {
  if (!Number.isInteger(o.blocks) || o.blocks < 1) throw new ProsperError('PROSPER_E_ACCOUNTING_SIM', `blocks must be a positive integer, got ${o.blocks}`);
  if (o.miners.length === 0) throw new ProsperError('PROSPER_E_ACCOUNTING_SIM', 'at least one miner is needed');
  const blockSeconds = o.blockSeconds ?? 600;
  const poolHashrate = o.miners.reduce((s, m) => s + m.hashrate, 0);
  const network = o.networkHashrate ?? 9 * poolHashrate;
  const poolShare = poolHashrate / (poolHashrate + network);
  const warmup = o.warmup ?? 2 * o.settings.ppsWindow;
  const luck = seededRandom(o.seed);
  const arrivals = seededRandom(o.seed ^ 0x5eed);
  const perShare = o.miners.map((m) => {
    const c = BigInt(Math.max(1, Math.round((m.hashrate * blockSeconds) / SHARES_PER_BLOCK)));
    return c < CREDIT_PER_PDIFF ? CREDIT_PER_PDIFF : c;
  });
  const history = new SimHistory(o.reserve ?? 0n);
  const paid = o.miners.map(() => [] as bigint[]);
  const reservePath: bigint[] = [];
  const kept: SimBlock[] = [];
  let rewards = 0n;
  let fallbacks = 0;
  for (let b = 1; b <= warmup + o.blocks; b++) {
    const jobId = b;
    const credits: UserCredit[] = [];
    const timed: { at: number; share: UserCredit }[] = [];
    o.miners.forEach((m, i) => {
      const shares = poisson(arrivals, (m.hashrate * blockSeconds) / Number(perShare[i]));
      if (shares > 0) credits.push({ userId: BigInt(i + 1), credit: BigInt(shares) * perShare[i]! });
      for (let k = 0; k < shares; k++) timed.push({ at: arrivals.random(), share: { userId: BigInt(i + 1), credit: perShare[i]! } });
    });
    history.addShares(jobId, timed.sort((a, b) => b.at - a.at).map((x) => x.share));
    const reward = poolBlockReward(luck, poolShare);
    let fellBack = false;
    const plan = await planSettlement(jobId, reward, credits, history, o.settings, () => (fellBack = true));
    history.record(jobId, credits, plan);
    if (b <= warmup) continue;
    rewards += reward;
    if (fellBack) fallbacks++;
    const byUser = new Map(plan.payouts.map((p) => [p.userId, p.amount]));
    o.miners.forEach((_, i) => paid[i]!.push(byUser.get(BigInt(i + 1)) ?? 0n));
    reservePath.push(history.reserve);
    if (o.keepBlocks) kept.push({ jobId, credits, plan });
  }
  const feeE8 = o.settings.scheme === 'pps' ? o.settings.ppsFeeE8 : o.settings.feeRateE8;
  const n = BigInt(o.blocks);
  const days = Math.floor(o.blocks / BLOCKS_PER_DAY);
  const miners = o.miners.map((m, i) => {
    const share = m.hashrate / poolHashrate;
    // share as a fraction of 1e12 keeps the fair amount in integers.
    const shareE12 = BigInt(Math.round(share * 1e12));
    const fair = (rewards * (FEE_RATE_ONE - feeE8) * shareE12) / (FEE_RATE_ONE * 10n ** 12n * n);
    const mine = paid[i]!;
    const daily = Array.from({ length: days }, (_, d) => mine.slice(d * BLOCKS_PER_DAY, (d + 1) * BLOCKS_PER_DAY).reduce((s, x) => s + x, 0n));
    return { name: m.name, hashrateShare: share, fair, meanPaid: mine.reduce((s, x) => s + x, 0n) / n, dailyRelStd: relStd(daily) };
  });
  const pps = o.settings.scheme === 'pps';
  return {
    scheme: o.settings.scheme, blocks: o.blocks, seed: o.seed, poolShare, rewards, miners,
    reservePath: pps ? reservePath : null,
    reserveMin: pps ? reservePath.reduce((m, r) => (r < m ? r : m), reservePath[0]!) : null,
    fallbacks, kept,
  };
}

/** `name:hashrate,...` (H/s, e.g. "big:5e6,small:200") to miners; anything else is PROSPER_E_ACCOUNTING_SIM. */
export function parseMinerSpec(spec: string): SimMiner[] {
  const miners = spec.split(',').map((part) => {
    const m = /^([A-Za-z0-9._-]{1,64}):(\d+(?:\.\d+)?(?:e\d+)?)$/i.exec(part.trim());
    const hashrate = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(hashrate) || hashrate <= 0) {
      throw new ProsperError('PROSPER_E_ACCOUNTING_SIM', `miner spec must be name:hashrate[,name:hashrate...] with hashrates above 0 in H/s, got ${JSON.stringify(part)}`);
    }
    return { name: m[1]!, hashrate };
  });
  const names = new Set(miners.map((m) => m.name));
  if (names.size !== miners.length) throw new ProsperError('PROSPER_E_ACCOUNTING_SIM', 'miner names must be distinct');
  return miners;
}
