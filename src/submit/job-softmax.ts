import type { JobId } from '../domain/index.js';
import { allocSoftMax, OFFER_ADMITTED, SoftMaxLimit } from '../validation/index.js';

/**
 * The coordinator's one SoftMaxLimit per job. Each edge's validator already keeps its own (it
 * marks the shares worth sending on), so with several edges up to edges x K candidates arrive;
 * this second pass keeps the pool's submissions to the K best of the job across all of them,
 * as on a single machine. Main thread only: one slot, reset when a newer job is offered.
 */
export class JobSoftMax {
  private readonly limit: SoftMaxLimit;
  private jobId = -1;

  constructor(k: number, private readonly threshold: () => bigint) {
    this.limit = new SoftMaxLimit(allocSoftMax(k, 1));
  }

  /** True when the share's target is above the job's threshold and among the K best so far. */
  admit(jobId: JobId, target: bigint): boolean {
    if (jobId > this.jobId) {
      this.jobId = jobId;
      this.limit.reset(0, this.threshold());
    } else if (jobId < this.jobId) {
      return false; // an older job's candidate: its submissions are over
    }
    return this.limit.offer(0, target) === OFFER_ADMITTED;
  }
}
