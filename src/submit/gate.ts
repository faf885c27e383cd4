import type { JobId } from '../domain/index.js';
import { minimumTargetFromGraded } from '../lxr/difficulty.js';
import { nextEma } from './ema.js';
import type { MinuteGuard } from './minute-guard.js';

/** Spots of a graded PegNet block (the reference keeps the best 50 by proof of work). */
export const GRADED_SPOTS = 50;

export type GateDecision = 'submit' | 'below-ema' | 'cutoff' | 'minute-zero' | 'other-job';

export interface EmaPoint {
  /** The synced block the estimate came from. */
  height: number;
  /** The target the cutoff-th best hash of the network is expected to reach. */
  minimumTarget: bigint;
  /** The smoothed threshold a share must beat (strictly) to be written for the next job. */
  ema: bigint;
  /** The least proof of work among the block's graded records (what the estimate started from). */
  lastGraded: bigint;
  spots: number;
}

export interface SubmissionGateOptions {
  /** Blocks in the EMA (`[submit] ema-n`). */
  emaN: number;
  /** The most entries the pool writes per job (`[submit] submissioncutoff`). */
  cutoff: number;
  /** Consulted when set (`[submit] minuteguard`). */
  minuteGuard?: MinuteGuard;
  /** The last EMA persisted before a restart, so history is not relearned. */
  initialEma?: bigint;
}

/**
 * Rolling submission policy: which admitted shares (the validation engine's SoftMaxLimit has
 * already said they beat the job's K-th best) become OPR entries. A share must beat the EMA of
 * the network's minimum target, the job must be the current one, the job must still have room
 * under the cutoff (this gate is the one place the cutoff is counted, a restart's earlier
 * entries included), and factomd must not be in minute 0.
 */
export class SubmissionGate {
  private ema: bigint;
  private currentJob = -1;
  private submitted = 0;

  constructor(private readonly opts: SubmissionGateOptions) {
    this.ema = opts.initialEma ?? 0n;
  }

  /**
   * A synced block: update the EMA from its graded records' proofs of work. Every synced
   * block counts, old ones too, so history primes the average. The estimate starts from the
   * least proof of work of the graded set (the 50th best), which is what the reference
   * miner's formula assumes (the original took whichever record grading placed last).
   */
  onGradedBlock(height: number, gradedTargets: readonly bigint[]): EmaPoint {
    const spots = Math.min(gradedTargets.length, GRADED_SPOTS);
    let lastGraded = 0n;
    if (spots > 0) {
      const best = [...gradedTargets].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, spots);
      lastGraded = best[spots - 1]!;
    }
    const minimumTarget = spots > 1 ? minimumTargetFromGraded(lastGraded, spots, this.opts.cutoff) : 0n;
    this.ema = nextEma(minimumTarget, this.ema, this.opts.emaN);
    return { height, minimumTarget, ema: this.ema, lastGraded, spots };
  }

  /** The threshold shares of the next job must beat. */
  threshold(): bigint {
    return this.ema;
  }

  /** The most entries written per job. */
  get cutoff(): number {
    return this.opts.cutoff;
  }

  /** Blocks in the EMA. */
  get emaN(): number {
    return this.opts.emaN;
  }

  /**
   * A new job is being mined: the per-job cutoff count starts again, from the entries an earlier
   * run of the pool already wrote for it (a restart in the middle of a block).
   */
  openJob(jobId: JobId, alreadyWritten = 0): void {
    if (jobId !== this.currentJob) {
      this.currentJob = jobId;
      this.submitted = alreadyWritten;
    }
  }

  /** Decides, and on 'submit' reserves one of the job's slots under the cutoff. */
  decide(jobId: JobId, target: bigint): GateDecision {
    if (jobId !== this.currentJob) return 'other-job';
    if (!(target > this.ema)) return 'below-ema';
    if (this.submitted >= this.opts.cutoff) return 'cutoff';
    if (this.opts.minuteGuard && !this.opts.minuteGuard.canSubmit()) return 'minute-zero';
    this.submitted += 1;
    return 'submit';
  }

  /** A reserved submission failed for good: its slot may be used by a later share. */
  release(jobId: JobId): void {
    if (jobId === this.currentJob && this.submitted > 0) this.submitted -= 1;
  }

  /** Entries written (or reserved) for the current job, an earlier run's included. */
  submittedThisJob(): number {
    return this.submitted;
  }
}
