/**
 * A job as every layer that hands it on sees it (the block handler's event, Stratum's job book,
 * the cluster's announcement): the height it is mined for, the hash miners grind, and the
 * target a share needs to compete for the job's network entry. The other job types extend or
 * pick from it.
 */
import type { JobId } from './share.js';

export interface MiningJob {
  /** The PegNet height the OPR is for; it is also the Stratum job id. */
  jobId: JobId;
  /** sha256 of the OPR content: miners hash LXR(oprHash || nonce). 32 bytes. */
  oprHash: Uint8Array;
  /** Shares reaching this target also compete for the job's network submission. */
  submitThreshold: bigint;
}
