/**
 * A ShareValidator that hashes on the calling thread: for stratum-only mode, tests and the
 * load generator. Shares arriving in the same event-loop turn are hashed together, because the
 * multi-lane kernels are ~8x faster per hash than one at a time. The pool proper uses the
 * validation engine (worker threads, SoftMaxLimit).
 */
import { createHasher, targetOfHash, type LxrTable } from '../lxr/index.js';
import type { ShareToValidate, ShareValidator, Verdict } from '../validation/types.js';

interface Waiting {
  share: ShareToValidate;
  resolve: (v: Verdict) => void;
}

export function createInlineValidator(table: LxrTable, kernel?: string): ShareValidator & { openJobs: Set<number> } {
  const hasher = createHasher(table, kernel);
  const openJobs = new Set<number>();
  const thresholds = new Map<number, bigint>();
  let queue: Waiting[] = [];

  const verdict = (share: ShareToValidate, target: bigint): Verdict => {
    if (target !== share.claimedTarget) return { valid: false, reason: 'target-mismatch', target, message: `computed target ${target.toString(16)}` };
    if (target < share.minTarget) return { valid: false, reason: 'below-minimum', target, message: 'below the assigned target' };
    return { valid: true, target, submit: target >= (thresholds.get(share.jobId) ?? 2n ** 64n), sampled: false };
  };

  const flush = () => {
    const batch = queue;
    queue = [];
    const byLength = new Map<number, Waiting[]>();
    for (const w of batch) {
      const len = w.share.oprHash.length + w.share.nonce.length;
      const group = byLength.get(len);
      if (group) group.push(w);
      else byLength.set(len, [w]);
    }
    for (const [len, group] of byLength) {
      const src = new Uint8Array(len * group.length);
      group.forEach((w, i) => {
        src.set(w.share.oprHash, i * len);
        src.set(w.share.nonce, i * len + w.share.oprHash.length);
      });
      const out = hasher.hashBatch(src, len, group.length);
      group.forEach((w, i) => w.resolve(verdict(w.share, targetOfHash(out, i * 32))));
    }
  };

  return {
    openJobs,
    openJob(jobId, submitThreshold) {
      openJobs.add(jobId);
      thresholds.set(jobId, submitThreshold);
    },
    closeJob(jobId) {
      openJobs.delete(jobId);
      thresholds.delete(jobId);
    },
    validate(share: ShareToValidate): Promise<Verdict> {
      if (!openJobs.has(share.jobId)) return Promise.resolve({ valid: false, reason: 'unknown-job', message: `job ${share.jobId} is not open` });
      return new Promise((resolve) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ share, resolve });
      });
    },
    async close() {
      if (queue.length > 0) flush();
    },
  };
}
