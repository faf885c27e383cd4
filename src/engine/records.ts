import type { EmaPoint, SubmissionLog } from '../submit/index.js';

/** What the engine persists beside share credit and synced blocks: submissions and the EMA history. */
export interface PoolRecords {
  /** Records a submission with the OPR hash of its job (when the job is still known). */
  record(r: Parameters<SubmissionLog['record']>[0], oprHash?: Uint8Array): Promise<void>;
  recordEma(p: EmaPoint, cutoff: number, n: number): Promise<void>;
  /** The newest EMA value, so a restart does not relearn the history. */
  lastEma(): Promise<bigint | undefined>;
  /** Entries already written (not failed) for a job: a restart must not reset the job's cutoff. */
  submittedFor(jobId: number): Promise<number>;
  /** Jobs with credited work but no settlement whose block the sync has recorded, with the pool's reward for it. */
  unsettledJobs(): Promise<{ jobId: number; reward: bigint }[]>;
}
