import type { Accountant } from '../accounting/index.js';
import type { JobBuilder, PoolJob } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { SyncBlockEvent } from '../pegnet/index.js';
import type { SubmissionGate } from '../submit/index.js';
import type { PoolRecords } from './records.js';

/** What the block handler needs of the Stratum server. */
export interface JobSink {
  setJob(job: { id: number; oprHash: Uint8Array; submitThreshold?: bigint }): unknown;
  /** Tells miners to stop: there is no job they could be paid for. */
  stopMining(): unknown;
}

export interface BlockHandlerOptions {
  gate: SubmissionGate;
  records: PoolRecords;
  accountant: Pick<Accountant, 'settleJob' | 'jobCredits'>;
  builder: Pick<JobBuilder, 'build'>;
  stratum: JobSink;
  emaN: number;
  cutoff: number;
  /** Wait between job attempts when prices fail (ms). */
  retryMs: number;
  logger: Logger;
  now?: () => number;
  /** Jobs kept for late shares and submissions. */
  keepJobs?: number;
}

/**
 * What the pool does with each synced block (the sync has recorded it and the pool's reward):
 * update the submission EMA, settle the reward over the job's credited work, and, for the
 * tip, build and broadcast the next job (retrying while the prices fail, with miners told to
 * stop meanwhile).
 */
export class BlockHandler {
  private readonly jobs = new Map<number, PoolJob>();
  private retryTimer: NodeJS.Timeout | undefined;
  private tipHeight = -1;
  /** Entries written for the current job before this process started it (a restart mid-job). */
  private prior = { jobId: -1, count: 0 };
  current: PoolJob | undefined;
  /** Told of every new job (the web's live state). */
  onJob: ((job: PoolJob) => void) | undefined;

  constructor(private readonly o: BlockHandlerOptions) {}

  jobOf(jobId: number): PoolJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Entries an earlier run of the pool already wrote for `jobId` (they count toward its cutoff). */
  priorSubmissions(jobId: number): number {
    return this.prior.jobId === jobId ? this.prior.count : 0;
  }

  async onBlock(e: SyncBlockEvent): Promise<void> {
    const { block, top } = e;
    const graded = block.graded;
    const point = this.o.gate.onGradedBlock(block.height, graded ? graded.graded.map((g) => g.difficulty) : []);
    await this.o.records.recordEma(point, this.o.cutoff, this.o.emaN);
    const reward = graded?.poolReward.reward ?? 0n;
    if (reward > 0n || (await this.o.accountant.jobCredits(BigInt(block.height))).length > 0) {
      await this.o.accountant.settleJob(BigInt(block.height), reward);
    }
    if (graded && graded.poolReward.winning > 0) {
      this.o.logger.info({ height: block.height, winning: graded.poolReward.winning, reward: reward.toString() }, 'pool OPRs won');
    }
    if (top) {
      this.tipHeight = block.height;
      await this.newJob(block.height, block.nextPreviousWinners);
    }
  }

  private async newJob(height: number, previousWinners: readonly string[]): Promise<void> {
    clearTimeout(this.retryTimer);
    try {
      const job = await this.o.builder.build(height, previousWinners);
      if (height !== this.tipHeight) return; // a newer block arrived meanwhile
      // The gate counts from zero for each job it opens; after a restart in the middle of a
      // block the entries written before the stop still count toward the cutoff.
      const prior = await this.o.records.submittedFor(job.jobId);
      if (height !== this.tipHeight) return;
      this.prior = { jobId: job.jobId, count: prior };
      this.jobs.set(job.jobId, job);
      for (const id of this.jobs.keys()) if (id < job.jobId - (this.o.keepJobs ?? 3)) this.jobs.delete(id);
      this.current = job;
      this.o.gate.openJob(job.jobId);
      this.o.stratum.setJob({ id: job.jobId, oprHash: job.oprHash, submitThreshold: this.o.gate.threshold() });
      this.onJob?.(job);
    } catch (err) {
      this.o.logger.warn({ height, err: (err as Error).message, retryMs: this.o.retryMs }, 'cannot build the next job; miners told to stop, retrying');
      this.current = undefined;
      this.o.stratum.stopMining();
      this.retryTimer = setTimeout(() => {
        if (height === this.tipHeight) void this.newJob(height, previousWinners);
      }, this.o.retryMs);
      this.retryTimer.unref();
    }
  }

  stop(): void {
    clearTimeout(this.retryTimer);
  }
}
