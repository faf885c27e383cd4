import type { JobId } from '../domain/index.js';
import { logFields } from '../errors.js';
import type { Accountant } from '../accounting/index.js';
import type { JobBuilder, PoolJob } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { SyncBlockEvent } from '../pegnet/index.js';
import type { SubmissionGate } from '../submit/index.js';
import type { PoolRecords } from '../store/index.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import type { PoolBus } from './events.js';

export interface BlockHandlerOptions {
  gate: SubmissionGate;
  records: PoolRecords;
  accountant: Pick<Accountant, 'settleJob' | 'jobCredits'>;
  builder: Pick<JobBuilder, 'build'>;
  /** Where JobOpened, MiningStopped, BlockSynced, BlockWon and JobSettled go. */
  bus: PoolBus;
  /** Wait between job attempts when prices fail (ms). */
  retryMs: number;
  logger: Logger;
  /** Wall time for settlement deadlines, and the timers of the stale window and retries. */
  clock?: Clock;
  /** Jobs kept for late shares and submissions. */
  keepJobs?: number;
  /**
   * How long after its block is synced the tip job is settled (ms): Stratum still credits the
   * previous job's shares for its stale grace window, and those must be in the split. Blocks
   * met while catching up are settled at once (no share for them can still arrive).
   */
  settleDelayMs?: number;
  /**
   * Asked when a job's stale window is over: may it be settled now? (A coordinator waits until
   * every edge has relayed the shares it acknowledged before `windowClosedAt`.) Asked again every
   * second while false, for at most `settleHoldMaxMs` (default 10 min), then settled anyway.
   */
  settleReady?: (jobId: JobId, windowClosedAt: number) => Promise<boolean>;
  settleHoldMaxMs?: number;
}

/**
 * What the pool does with each synced block (the sync has recorded it and the pool's reward):
 * update the submission EMA, settle the reward over the job's credited work, and, for the
 * tip, build and broadcast the next job (retrying while the prices fail, with miners told to
 * stop meanwhile).
 */
export class BlockHandler {
  private readonly jobs = new Map<number, PoolJob>();
  private retryTimer: TimerHandle | undefined;
  private tipHeight = -1;
  current: PoolJob | undefined;
  /** Settlements waiting out the stale window, by job. */
  private readonly pending = new Map<number, { reward: bigint; winning: number; graded: number; timer: TimerHandle; due: number; waitLogged?: boolean }>();
  private readonly clock: Clock;

  constructor(private readonly o: BlockHandlerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  jobOf(jobId: JobId): PoolJob | undefined {
    return this.jobs.get(jobId);
  }

  async onBlock(e: SyncBlockEvent): Promise<void> {
    const { block, top } = e;
    const graded = block.graded;
    const point = this.o.gate.onGradedBlock(block.height, graded ? graded.graded.map((g) => g.difficulty) : []);
    await this.o.records.recordEma(point, this.o.gate.cutoff, this.o.gate.emaN);
    const reward = graded?.poolReward.reward ?? 0n;
    const winning = graded?.poolReward.winning ?? 0;
    const gradedCount = graded?.poolReward.graded ?? 0;
    const delay = this.o.settleDelayMs ?? 0;
    // A block met while catching up is settled at once, unless its job was handed to miners
    // (factomd came back with several blocks): shares for it are accepted for the stale window.
    if (delay > 0 && (top || this.jobs.has(block.height))) {
      const timer = this.clock.setTimeout(() => void this.settleWhenReady(block.height), delay).unref();
      this.pending.set(block.height, { reward, winning, graded: gradedCount, timer, due: this.now() + delay });
    } else {
      await this.settleNow(block.height, reward, winning, gradedCount);
    }
    if (winning > 0) {
      this.o.logger.info({ height: block.height, winning, reward: reward.toString() }, 'pool OPRs won');
      this.o.bus.publish('BlockWon', { height: block.height, winning, reward });
    }
    if (top) {
      this.tipHeight = block.height;
      await this.newJob(block.height, block.nextPreviousWinners);
    }
    this.o.bus.publish('BlockSynced', { event: e, ema: this.o.gate.threshold() });
  }

  private async settleNow(height: number, reward: bigint, winning: number, graded: number): Promise<void> {
    if (reward === 0n && (await this.o.accountant.jobCredits(height)).length === 0) return;
    const out = await this.o.accountant.settleJob(height, reward);
    this.o.bus.publish('JobSettled', { record: out.record, created: out.created, winning, graded });
  }

  private now(): number {
    return this.clock.now();
  }

  /** The stale window is over: settle, once `settleReady` agrees (or has held it too long). */
  private async settleWhenReady(height: number): Promise<void> {
    const p = this.pending.get(height);
    if (!p) return;
    const ready = this.o.settleReady;
    if (ready) {
      let ok = false;
      try {
        ok = await ready(height, p.due);
      } catch (err) {
        this.o.logger.warn({ height, ...logFields(err) }, 'cannot tell whether every share of the job has arrived');
      }
      const held = this.now() - p.due;
      if (!ok && held < (this.o.settleHoldMaxMs ?? 600_000)) {
        if (!p.waitLogged) this.o.logger.info({ height }, 'settlement waits for shares still being relayed');
        p.waitLogged = true;
        p.timer = this.clock.setTimeout(() => void this.settleWhenReady(height), 1000).unref();
        return;
      }
      if (!ok) this.o.logger.warn({ height, heldMs: held }, 'settling although some shares may still be on their way (they stay credited to the job, unpaid)');
    }
    await this.settle(height);
  }

  /** Settles a job whose stale window is over (or everything pending, when stopping). */
  private async settle(height: number): Promise<void> {
    const p = this.pending.get(height);
    if (!p) return;
    this.pending.delete(height);
    this.clock.clearTimeout(p.timer);
    try {
      await this.settleNow(height, p.reward, p.winning, p.graded);
    } catch (err) {
      // It stays unsettled in the store and is settled by the next start's catch-up.
      this.o.logger.error({ height, ...logFields(err) }, 'settling a job failed');
    }
  }

  /**
   * Jobs that earned credit but were never settled (the pool stopped inside a stale window, or
   * a settlement failed): settled with the reward the sync recorded for their block, now or,
   * with a relay, once `settleReady` agrees.
   */
  async settleOutstanding(): Promise<number> {
    const jobs = await this.o.records.unsettledJobs();
    for (const j of jobs) {
      if (this.o.settleReady) {
        // Through the relay's wait: their shares may still be in the stream or an edge's spool.
        const timer = this.clock.setTimeout(() => void this.settleWhenReady(j.jobId), 0).unref();
        this.pending.set(j.jobId, { reward: j.reward, winning: 0, graded: 0, timer, due: this.now() });
      } else {
        await this.settleNow(j.jobId, j.reward, 0, 0);
      }
    }
    if (jobs.length > 0) this.o.logger.info({ jobs: jobs.map((j) => j.jobId) }, 'settled jobs left unsettled by an earlier run');
    return jobs.length;
  }

  private async newJob(height: number, previousWinners: readonly string[]): Promise<void> {
    this.clock.clearTimeout(this.retryTimer);
    try {
      const job = await this.o.builder.build(height, previousWinners);
      if (height !== this.tipHeight) return; // a newer block arrived meanwhile
      // After a restart in the middle of a block the entries written before the stop still
      // count toward the job's cutoff (the gate starts its count from them).
      const prior = await this.o.records.submittedFor(job.jobId);
      if (height !== this.tipHeight) return;
      this.jobs.set(job.jobId, job);
      for (const id of this.jobs.keys()) if (id < job.jobId - (this.o.keepJobs ?? 3)) this.jobs.delete(id);
      this.current = job;
      this.o.gate.openJob(job.jobId, prior);
      this.o.bus.publish('JobOpened', { job, submitThreshold: this.o.gate.threshold() });
    } catch (err) {
      this.o.logger.warn({ height, ...logFields(err), retryMs: this.o.retryMs }, 'cannot build the next job; miners told to stop, retrying');
      this.current = undefined;
      this.o.bus.publish('MiningStopped', {});
      this.retryTimer = this.clock.setTimeout(() => {
        if (height === this.tipHeight) void this.newJob(height, previousWinners);
      }, this.o.retryMs).unref();
    }
  }

  /**
   * Stops retrying jobs and settles what waits out a stale window (no more shares come). With
   * a relay (`settleReady`), shares for those jobs may still be on their way to the next run:
   * they are left unsettled, and the next start settles them through the same wait.
   */
  async stop(): Promise<void> {
    this.clock.clearTimeout(this.retryTimer);
    for (const [height, p] of [...this.pending]) {
      if (this.o.settleReady) {
        this.clock.clearTimeout(p.timer);
        this.pending.delete(height);
      } else {
        await this.settle(height);
      }
    }
  }
}
