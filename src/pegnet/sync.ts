/**
 * The pool's light pegnetd: walks factomd's saved heights from the activation height (or
 * the store's last height), grades each block's OPR entry block, records the graded block,
 * winners, difficulty figures and the pool's own rewards, and tells listeners. Every block
 * is announced, with or without OPRs (the original stalled on an empty block); only the
 * tip is "top", the block the next job is built on. factomd being down is logged and
 * retried with backoff.
 */
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { firstSyncHeight, oprVersionAt, winnerCount, type ActivationHeights } from './activation.js';
import type { DifficultyComputer } from './difficulty-computer.js';
import { BlockGrader, type GradedBlock, type OprEntryInput } from './grade.js';
import type { GradedBlockRecord, PoolReward, SyncedBlock, SyncFactomd, SyncStore } from './sync-types.js';

export interface PoolIdentity {
  /** The OPR identity (ID field) the pool writes. */
  readonly identity?: string;
  /** The coinbase FA address the pool writes. */
  readonly coinbase?: string;
}

export interface SyncBlockEvent {
  readonly block: SyncedBlock;
  /** True only for factomd's newest saved block when this pass started: build the next job on it. */
  readonly top: boolean;
  /** The full graded block (undefined when the block had no OPR entry block). */
  readonly graded?: GradedBlock;
  /** factomd's head height as this pass read it (the sync lag is head - block height). */
  readonly headHeight: number;
}

export interface SyncProgress {
  readonly height: number;
  readonly target: number;
  readonly left: number;
  readonly blocksPerSecond: number;
}

export interface PegnetSyncOptions {
  readonly factomd: SyncFactomd;
  readonly store: SyncStore;
  readonly computer: DifficultyComputer;
  readonly activations: ActivationHeights;
  /** The OPR chain id (hex) of the network. */
  readonly oprChainId: string;
  readonly pool?: PoolIdentity;
  readonly logger?: Logger;
  /** Pause when synced (default 2000 ms). */
  readonly pollMs?: number;
  /** First pause after an error (default 5000 ms), doubling up to maxRetryMs (default 60000). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Report progress every this many blocks while catching up (default 50). */
  readonly progressEvery?: number;
  /** Parallel entry fetches (default 8, as the original). */
  readonly fetchConcurrency?: number;
  readonly now?: () => number;
  readonly onBlock?: (e: SyncBlockEvent) => void | Promise<void>;
  readonly onProgress?: (p: SyncProgress) => void;
  readonly onError?: (err: unknown, retryInMs: number) => void;
  /** Called when a step succeeds after failed ones (factomd answers again). */
  readonly onRecovered?: () => void;
}

/** The pool's own OPRs among the graded ones, by identity or coinbase address. */
export function poolRewardOf(block: GradedBlock, pool: PoolIdentity | undefined): PoolReward {
  let graded = 0;
  let winning = 0;
  let reward = 0n;
  if (!pool || (!pool.identity && !pool.coinbase)) return { graded, winning, reward };
  for (const o of block.graded) {
    if ((pool.identity && o.identity === pool.identity) || (pool.coinbase && o.address === pool.coinbase)) {
      graded++;
      if (o.payout > 0n) {
        winning++;
        reward += o.payout;
      }
    }
  }
  return { graded, winning, reward };
}

export function gradedRecord(block: GradedBlock, pool: PoolIdentity | undefined): GradedBlockRecord {
  const diffs = block.graded.map((o) => o.selfReportedDifficulty);
  const min = diffs.reduce<bigint | undefined>((m, d) => (m === undefined || d < m ? d : m), undefined) ?? 0n;
  const max = diffs.reduce<bigint | undefined>((m, d) => (m === undefined || d > m ? d : m), undefined) ?? 0n;
  return {
    height: block.height,
    version: block.version,
    accepted: block.count,
    graded: block.graded.map((o) => ({
      position: o.position,
      entryHash: Buffer.from(o.entryHash).toString('hex'),
      identity: o.identity,
      address: o.address,
      difficulty: o.selfReportedDifficulty,
      grade: o.grade,
      payout: o.payout,
    })),
    winners: block.winners.map((o) => Buffer.from(o.entryHash.subarray(0, 8)).toString('hex')),
    nextPreviousWinners: block.winnersShortHashes,
    difficulty: { spot: block.graded.length, minimum: min, maximum: max },
    poolReward: poolRewardOf(block, pool),
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class PegnetSync {
  private readonly o: PegnetSyncOptions;
  private readonly log: Logger;
  private readonly chain: string;
  private synced: number | undefined;
  private winners: readonly string[] | undefined;
  private firstPass = true;
  private running = false;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(opts: PegnetSyncOptions) {
    this.o = opts;
    this.log = opts.logger ?? silentLogger();
    this.chain = opts.oprChainId.toLowerCase();
  }

  /** The last height recorded (after init or a pass). */
  get syncedHeight(): number | undefined {
    return this.synced;
  }

  /** Loads the resume point from the store. */
  private async init(): Promise<void> {
    if (this.synced !== undefined) return;
    const last = await this.o.store.lastSyncedHeight();
    this.synced = last ?? firstSyncHeight(this.o.activations) - 1;
    this.winners = (await this.o.store.previousWinnersFor(this.synced + 1)) ?? [];
  }

  /**
   * One catch-up pass: grade and record every saved block above the last synced one.
   * Returns how many blocks were recorded. Throws on factomd or store errors (the block in
   * progress is not recorded, so the next pass retries it).
   */
  async syncOnce(): Promise<number> {
    await this.init();
    const { directoryBlockHeight: tip } = await this.o.factomd.heights();
    if (this.firstPass && this.synced! === tip && tip >= firstSyncHeight(this.o.activations)) {
      // Re-read the tip once after a restart so a job is announced straight away.
      this.synced = tip - 1;
      this.winners = (await this.o.store.previousWinnersFor(tip)) ?? [];
    }
    if (this.firstPass && this.synced! > tip) {
      this.log.warn({ synced: this.synced, factomdHeight: tip }, 'factomd is behind the pegnet store; waiting for it to catch up');
    }
    this.firstPass = false;
    let done = 0;
    const started = (this.o.now ?? Date.now)();
    const every = this.o.progressEvery ?? 50;
    while (this.synced! < tip && !this.stopping) {
      const height = this.synced! + 1;
      await this.syncHeight(height, tip);
      done++;
      const left = tip - height;
      if (left > 0 && done % every === 0) {
        const secs = Math.max(1e-3, ((this.o.now ?? Date.now)() - started) / 1000);
        const p = { height, target: tip, left, blocksPerSecond: done / secs };
        this.log.info({ ...p, etaSeconds: Math.round(left / p.blocksPerSecond) }, 'pegnet sync catching up');
        this.o.onProgress?.(p);
      }
    }
    return done;
  }

  private async readOprEntries(height: number): Promise<OprEntryInput[] | undefined> {
    const dblock = await this.o.factomd.dblockByHeight(height, { noraw: true });
    const eb = dblock.dbEntries.find((e) => e.chainId.toLowerCase() === this.chain);
    if (!eb) return undefined;
    const eblock = await this.o.factomd.entryBlock(eb.keyMr);
    return mapLimit(eblock.entryList, this.o.fetchConcurrency ?? 8, async ({ entryHash }) => {
      const e = await this.o.factomd.entry(entryHash);
      return { entryHash: new Uint8Array(Buffer.from(entryHash, 'hex')), extIds: e.extIds, content: e.content };
    });
  }

  private async syncHeight(height: number, tip: number): Promise<void> {
    const top = height === tip;
    const entries = await this.readOprEntries(height);
    const prev = this.winners ?? [];
    let graded: GradedBlock | undefined;
    if (entries) {
      const version = oprVersionAt(height, this.o.activations);
      let grader: BlockGrader | undefined;
      try {
        grader = new BlockGrader(version, height, prev);
      } catch (err) {
        // e.g. a V3 block after a V2 block with only 10 winners: the reference refuses to
        // grade it too. Record the block ungraded and keep the winners.
        this.log.error({ err, height, version }, 'pegnet block cannot be graded with the previous winners');
      }
      if (grader) {
        for (const e of entries) grader.addOpr(e.entryHash, e.extIds, e.content);
        graded = await grader.grade(this.o.computer);
      }
    }
    const record = graded ? gradedRecord(graded, this.o.pool) : undefined;
    const next = graded ? graded.winnersShortHashes : prev.length ? prev : new Array<string>(winnerCount(oprVersionAt(height + 1, this.o.activations))).fill('');
    const block: SyncedBlock = { height, nextPreviousWinners: next, ...(record ? { graded: record } : {}) };
    await this.o.store.recordBlock(block);
    this.synced = height;
    this.winners = next;
    if (record) {
      this.log.debug({ height, accepted: record.accepted, graded: record.graded.length, winners: record.winners.length, poolReward: record.poolReward.reward.toString() }, 'pegnet block graded');
    }
    try {
      await this.o.onBlock?.({ block, top, headHeight: tip, ...(graded ? { graded } : {}) });
    } catch (err) {
      this.log.error({ err, height }, 'pegnet block listener failed');
    }
  }

  /** Runs passes until stop(): polls when synced, backs off when factomd or the store fails. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.running = false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }

  private async run(): Promise<void> {
    const base = this.o.retryMs ?? 5000;
    const max = this.o.maxRetryMs ?? 60000;
    let retry = base;
    let failing = false;
    while (!this.stopping) {
      try {
        await this.syncOnce();
        if (failing) {
          this.log.info({ height: this.synced }, 'pegnet sync recovered');
          this.o.onRecovered?.();
        }
        failing = false;
        retry = base;
        if (!this.stopping) await this.sleep(this.o.pollMs ?? 2000);
      } catch (err) {
        this.log.warn({ err: (err as Error)?.message ?? String(err), height: (this.synced ?? 0) + 1, retryInMs: retry }, 'pegnet sync failed (is factomd reachable?); retrying');
        this.o.onError?.(err, retry);
        failing = true;
        if (!this.stopping) await this.sleep(retry);
        retry = Math.min(max, retry * 2);
      }
    }
  }
}
