/**
 * The jobs shares may be for: the current one, plus the previous one for a grace window after
 * a new block. Duplicate nonces are tracked per job across all sessions on the decoded bytes.
 */
import type { MiningJob, JobId } from '../domain/index.js';

/** A job in the book: the pool's job as miners get it, with its hash in hex and when it started. */
export interface Job extends MiningJob {
  oprHashHex: string;
  startedAt: number;
}

export type JobLookup =
  | { ok: true; job: Job; stale: false }
  | { ok: false; stale: true; job?: Job }
  | { ok: false; stale: false; job?: undefined };

export class JobBook {
  private current: Job | null = null;
  private previous: Job | null = null;
  private previousUntil = 0;
  private readonly noncesByJob = new Map<number, Set<string>>();

  /** `onClose` hears of every job that leaves the window (to close it in the validator). */
  constructor(private readonly graceMs: number, private readonly now: () => number, private readonly onClose: (job: Job) => void = () => {}) {}

  get job(): Job | null {
    return this.current;
  }

  /** Makes `job` current; the old current one keeps a grace window (a same-height job with a new hash too). */
  setJob(job: Job): void {
    const dropped = this.previous;
    this.previous = this.current;
    this.previousUntil = this.now() + this.graceMs;
    this.current = job;
    if (dropped) this.release(dropped);
    if (!this.noncesByJob.has(job.jobId)) this.noncesByJob.set(job.jobId, new Set());
  }

  /** Drops the previous job once its grace has passed. */
  expire(): void {
    if (this.previous && this.now() >= this.previousUntil) {
      const old = this.previous;
      this.previous = null;
      this.release(old);
    }
  }

  private release(job: Job): void {
    if (job.jobId === this.current?.jobId || job.jobId === this.previous?.jobId) return;
    this.noncesByJob.delete(job.jobId);
    this.onClose(job);
  }

  /**
   * The job a share is for. The original miner submits with the job id current at send time,
   * not the one it mined, so a share naming the current id with the previous job's hash is
   * matched to the previous job.
   */
  lookup(jobId: JobId, oprHash: Uint8Array): JobLookup {
    this.expire();
    return this.find(jobId, oprHash);
  }

  /** `lookup` without expiring anything first: reads only (the share check's view). */
  find(jobId: JobId, oprHash: Uint8Array): JobLookup {
    const cur = this.current;
    if (!cur) return { ok: false, stale: false };
    if (jobId === cur.jobId && equalBytes(oprHash, cur.oprHash)) return { ok: true, job: cur, stale: false };
    const prev = this.previous;
    if (prev && equalBytes(oprHash, prev.oprHash) && (jobId === prev.jobId || jobId === cur.jobId)) return { ok: true, job: prev, stale: false };
    if (jobId <= cur.jobId) return { ok: false, stale: true };
    return { ok: false, stale: false };
  }

  /** Whether a nonce (by its `nonceKey`) was already seen for a job. */
  seen(jobId: JobId, key: string): boolean {
    return this.noncesByJob.get(jobId)?.has(key) ?? false;
  }

  /** Records a nonce (by its `nonceKey`) for a job. */
  mark(jobId: JobId, key: string): void {
    let set = this.noncesByJob.get(jobId);
    if (!set) {
      set = new Set();
      this.noncesByJob.set(jobId, set);
    }
    set.add(key);
  }

  /** Records a nonce for a job; false when it was already seen (a duplicate). */
  markNonce(jobId: JobId, oprHashHex: string, nonce: Uint8Array): boolean {
    const key = nonceKey(oprHashHex, nonce);
    if (this.seen(jobId, key)) return false;
    this.mark(jobId, key);
    return true;
  }

  /** Jobs inside the window, newest first. */
  open(): Job[] {
    this.expire();
    return [this.current, this.previous].filter((j): j is Job => j !== null);
  }
}

/** A nonce's duplicate key, on the hash too: a same-height job with a new OPR hash is different work. */
export function nonceKey(oprHashHex: string, nonce: Uint8Array): string {
  return oprHashHex.slice(0, 16) + Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('hex');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
