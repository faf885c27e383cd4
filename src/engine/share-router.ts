import type { ShareLedger } from '../accounting/index.js';
import type { PoolJob } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { AcceptedShare, ShareSink } from '../stratum/index.js';
import type { EntryWriter, SubmissionGate } from '../submit/index.js';

export interface ShareRouterOptions {
  ledger: Pick<ShareLedger, 'credit'>;
  gate: SubmissionGate;
  writer: Pick<EntryWriter, 'submit'>;
  /** The job a share was for (kept by the engine for the grace window). */
  jobOf: (jobId: number) => PoolJob | undefined;
  /** Entries written for the job before this process opened it, and the per-job cutoff. */
  priorSubmissions?: (jobId: number) => number;
  cutoff?: number;
  /** The OPR chain of the network the pool writes to. */
  oprChainId: Uint8Array;
  logger: Logger;
  onSubmitted?: (jobId: number) => void;
  /** A second SoftMaxLimit over candidates from several edges (the coordinator's); absent: the validator's is the only one. */
  candidates?: { admit(jobId: number, target: bigint): boolean };
}

/**
 * Where the Stratum server's accepted shares go: credit first (the miner's acknowledgement
 * waits for it to be durable), then, for shares the validator admitted through the job's
 * SoftMaxLimit, the submission gate and the entry writer (which never hold up the miner).
 */
export class ShareRouter implements ShareSink {
  private readonly inFlight = new Set<Promise<unknown>>();
  submitted = 0;

  constructor(private readonly o: ShareRouterOptions) {}

  /** `shareId`: a share that may be delivered more than once (relayed by an edge) is credited once per id. */
  async accept(share: AcceptedShare, shareId?: string): Promise<void> {
    await this.o.ledger.credit({
      jobId: BigInt(share.jobId),
      userId: BigInt(share.userId),
      miner: share.minerId,
      assignedTarget: share.assignedTarget,
      ...(shareId === undefined ? {} : { shareId }),
    });
    if (share.submit) this.maybeSubmit(share);
  }

  private maybeSubmit(share: AcceptedShare): void {
    const job = this.o.jobOf(share.jobId);
    if (!job) return;
    // The gate's count restarts with the process: entries of an earlier run fill the cutoff too.
    const prior = this.o.priorSubmissions?.(share.jobId) ?? 0;
    if (prior > 0 && this.o.cutoff !== undefined && prior + this.o.gate.submittedThisJob() >= this.o.cutoff) return;
    if (this.o.candidates && !this.o.candidates.admit(share.jobId, share.target)) {
      this.o.logger.debug({ jobId: share.jobId }, 'candidate not among the job\'s best across edges');
      return;
    }
    const decision = this.o.gate.decide(share.jobId, share.target);
    if (decision !== 'submit') {
      this.o.logger.debug({ jobId: share.jobId, decision }, 'share not submitted');
      return;
    }
    const p = this.o.writer
      .submit({
        jobId: job.jobId,
        chainId: this.o.oprChainId,
        nonce: share.nonce,
        target: share.target,
        version: job.version,
        content: job.content,
        userId: share.userId,
        minerId: share.minerId,
      })
      .then((rec) => {
        if (rec.status === 'failed') this.o.gate.release(job.jobId);
        else {
          this.submitted += 1;
          this.o.onSubmitted?.(job.jobId);
        }
      });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Waits for submissions under way (graceful stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
