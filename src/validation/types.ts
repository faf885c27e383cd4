/**
 * The contract between the share path (Stratum, edges) and the validation engine. The
 * engine proves each share's LXRHash on worker threads and gates network submission with
 * the per-job SoftMaxLimit.
 */
import type { JobId } from '../domain/index.js';

/** A share as the validator needs it; cheap checks (session, job, duplicate) come before. */
export interface ShareToValidate {
  /** The job (PegNet height the OPR is for). Must be open (see `openJob`). */
  jobId: JobId;
  /** The job's OPR hash, 32 bytes. */
  oprHash: Uint8Array;
  /** The miner's nonce bytes as submitted. */
  nonce: Uint8Array;
  /** The target the miner claims LXR(oprHash || nonce) reaches (first 8 bytes, big-endian). */
  claimedTarget: bigint;
  /** The least target the session was assigned for this job. */
  minTarget: bigint;
}

export type RejectReason =
  | 'target-mismatch' // the computed target is not the claimed one
  | 'below-minimum' // the share does not reach the session's assigned target
  | 'unknown-job' // the job is not open in the engine
  | 'busy' // the queue is full: the miner must be told, never silently dropped
  | 'failed'; // a worker failed twice on the batch

export type Verdict =
  | {
      valid: true;
      target: bigint;
      /** Admitted by the job's SoftMaxLimit (or above the threshold with the limit off): submit it. */
      submit: boolean;
      /** True when the engine proved this share by hashing; false only when sampling skipped it (target is then the claim). */
      sampled: boolean;
      /** When submitted: the target it pushed out of the SoftMaxLimit (0n for a free place). */
      displaced?: bigint;
      /** When above the threshold but not submitted: the K-th best (or a lower bound of it) it failed to beat. */
      kthBest?: bigint;
    }
  | { valid: false; reason: RejectReason; target?: bigint; message: string };

export interface ShareValidator {
  /**
   * Starts tracking a job; shares above `submitThreshold` compete for its SoftMaxLimit.
   * Opening an open job again only changes its threshold (its SoftMaxLimit is kept).
   */
  openJob(jobId: JobId, submitThreshold: bigint): void;
  /** Ends a job and recycles its SoftMaxLimit slot. */
  closeJob(jobId: JobId): void;
  validate(share: ShareToValidate): Promise<Verdict>;
  close(): Promise<void>;
}
