import type { ShareLedger } from '../accounting/index.js';
import { creditOf, userIdOf, type ProvenShare, type JobId } from '../domain/index.js';
import type { PoolJob } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { ShareSink } from '../stratum/index.js';
import type { EntryWriter, SubmissionGate } from '../submit/index.js';
import type { PoolBus } from './events.js';

export interface ShareRouterOptions {
  ledger: Pick<ShareLedger, 'credit'>;
  gate: SubmissionGate;
  writer: Pick<EntryWriter, 'submit'>;
  /** The job a share was for (kept by the block handler for the grace window). */
  jobOf: (jobId: JobId) => PoolJob | undefined;
  /** The OPR chain of the network the pool writes to. */
  oprChainId: Uint8Array;
  logger: Logger;
  /** Where ShareAccepted goes. */
  bus: PoolBus;
  /** A second SoftMaxLimit over candidates from several edges (the coordinator's); absent: the validator's is the only one. */
  candidates?: { admit(jobId: JobId, target: bigint): boolean };
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
  async accept(share: ProvenShare, shareId?: string): Promise<void> {
    await this.o.ledger.credit(creditOf(share, shareId));
    this.o.bus.publish('ShareAccepted', shareId === undefined ? { share } : { share, shareId });
    if (share.submit) this.maybeSubmit(share);
  }

  private maybeSubmit(share: ProvenShare): void {
    const job = this.o.jobOf(share.jobId);
    if (!job) return;
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
        userId: userIdOf(share.userId),
        minerId: share.minerId,
      })
      .then((rec) => {
        if (rec.status === 'failed') this.o.gate.release(job.jobId);
        else this.submitted += 1;
      });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Waits for submissions under way (graceful stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
