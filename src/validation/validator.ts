import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { createKernel, isKernelName, type LxrTable } from '../lxr/index.js';
import {
  batchLayout,
  STATUS_MISMATCH,
  STATUS_PENDING,
  STATUS_SUBMIT,
  STATUS_VALID,
  viewsOf,
  writeHeader,
} from './batch-layout.js';
import { BufferPool } from './buffer-pool.js';
import { checkShare, isUint64, OPRHASH_BYTES } from './share-check.js';
import { allocSoftMax, SoftMaxLimit } from './softmax.js';
import type { ShareToValidate, ShareValidator, Verdict } from './types.js';
import type { ValidateWorkerData } from './worker-data.js';

export interface ShareValidatorOptions {
  table: LxrTable;
  /** SoftMaxLimit size K (config `softmax`); 0 disables it. Default 25. */
  softmax?: number;
  /** Worker threads. Default: cores minus one for the main thread (at least 1). */
  workers?: number;
  /** LXRHash kernel name for the workers ('auto' = fastest available). */
  kernel?: string;
  /** A batch is sent when it holds this many shares... Default 128. */
  batchSize?: number;
  /** ...or this long after its first share arrived. Default 2 ms. */
  batchDelayMs?: number;
  /** Shares queued or being proven at most; beyond it shares get a 'busy' verdict. Default 16384. */
  maxPending?: number;
  /** Batches handed to piscina at once; the rest wait here and keep filling. Default 3 per worker. */
  maxInFlight?: number;
  /**
   * Batches posted to one worker before it finishes the one it is on (piscina
   * concurrentTasksPerWorker). Above 1 a worker finds its next batch already in its port and
   * never idles waiting for the main thread to hear it finished. Default 2.
   */
  tasksPerWorker?: number;
  /** Jobs open at once (SoftMaxLimit slots). Default 16. */
  maxJobs?: number;
  /**
   * Sampling: prove one share in N (chosen at random) among shares that cannot be submitted
   * (claimed target not above the job threshold). 1 (default) proves every share.
   */
  sampleOneIn?: number;
  random?: () => number;
  /** Penalty hook: a proven share whose target is not the claimed one (a miner lying or broken). */
  onMismatch?: (share: ShareToValidate, computedTarget: bigint) => void;
  logger?: Logger;
  /** Fault injection for tests and drills: the next N batches kill the worker proving them. */
  crashNextBatches?: number;
}

/** Extensions beyond the contract in types.ts (operators, metrics, tests). */
export interface ShareValidatorEngine extends ShareValidator {
  readonly workers: number;
  /** The job's SoftMaxLimit places, best first (zeros are free places); undefined if not open. */
  softMaxSurvivors(jobId: JobId): bigint[] | undefined;
  stats(): ValidatorStats;
  /** Arms the fault injection (see options.crashNextBatches). */
  crashNextBatches(n: number): void;
}

export interface ValidatorStats {
  pending: number;
  inFlightBatches: number;
  queuedBatches: number;
  /** Batches sent to the workers (retries not counted). */
  batches: number;
  proven: number;
  unsampled: number;
  busy: number;
  retried: number;
  failed: number;
  /** Share of the workers' time spent running batches since start (piscina's utilization, 0..1). */
  utilization: number;
}

/**
 * The validator's bookkeeping for one open job (its SoftMaxLimit slot, shares in flight), not a
 * job itself: the job's id keys the map that holds it.
 */
interface JobSlot {
  slot: number;
  threshold: bigint;
  pending: number;
  closed: boolean;
}

interface Pending {
  share: ShareToValidate;
  job: JobSlot;
  resolve: (v: Verdict) => void;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min) throw new ProsperError('PROSPER_E_VALIDATION_CONFIG', `${name} must be an integer >= ${min}, got ${v}`);
  return x;
}

function workerFilename(): string {
  // Under tsx this module is .ts and the worker needs a bootstrap that registers tsx first.
  const ts = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(ts ? '../../workers/validate-bootstrap.mjs' : '../../workers/validate.js', import.meta.url));
}

/** Builds the engine: starts the workers at once, each handed the table and the SoftMaxLimit. */
export function createShareValidator(opts: ShareValidatorOptions): ShareValidatorEngine {
  const log = opts.logger ?? silentLogger();
  const k = positiveInt('softmax', opts.softmax, 25, 0);
  const workers = positiveInt('workers', opts.workers, Math.max(1, availableParallelism() - 1));
  const batchSize = positiveInt('batchSize', opts.batchSize, 128);
  const batchDelayMs = positiveInt('batchDelayMs', opts.batchDelayMs, 2, 0);
  const maxPending = positiveInt('maxPending', opts.maxPending, 16384);
  const tasksPerWorker = positiveInt('tasksPerWorker', opts.tasksPerWorker, 2);
  const maxInFlight = positiveInt('maxInFlight', opts.maxInFlight, (tasksPerWorker + 1) * workers);
  const maxJobs = positiveInt('maxJobs', opts.maxJobs, 16);
  const sampleOneIn = positiveInt('sampleOneIn', opts.sampleOneIn, 1);
  const random = opts.random ?? Math.random;
  const kernel = opts.kernel ?? 'auto';
  if (kernel !== 'auto' && (!isKernelName(kernel) || !createKernel(kernel))) {
    throw new ProsperError('PROSPER_E_VALIDATION_CONFIG', `LXRHash kernel '${kernel}' is unknown or not available here`);
  }
  const { bytes, bits } = opts.table;
  // A table outside shared memory would be copied into every worker (1 GiB each on mainnet).
  if (!(bytes.buffer instanceof SharedArrayBuffer) || bytes.length !== 2 ** bits) {
    throw new ProsperError('PROSPER_E_VALIDATION_CONFIG', 'the LXRHash table must be 2^bits bytes in a SharedArrayBuffer');
  }

  const shared = allocSoftMax(k, maxJobs);
  const softmax = new SoftMaxLimit(shared);
  const faults = new SharedArrayBuffer(4);
  const faultCounter = new Int32Array(faults);
  if (opts.crashNextBatches) Atomics.store(faultCounter, 0, opts.crashNextBatches);
  const workerData: ValidateWorkerData = { table: bytes, bits, kernel, softmax: shared, faults };
  const pool = new Piscina({
    filename: workerFilename(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 2 ** 31 - 1,
    concurrentTasksPerWorker: tasksPerWorker,
    workerData,
  });
  // Worker deaths reject the task they ran (handled per batch below); keep any other pool
  // error from becoming an uncaught exception.
  pool.on('error', (err: unknown) => log.error({ err }, 'validation pool error'));
  const buffers = new BufferPool(maxInFlight + 2);

  const jobs = new Map<JobId, JobSlot>();
  const freeSlots = Array.from({ length: maxJobs }, (_, i) => maxJobs - 1 - i);
  let open: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const queued: Pending[][] = [];
  let inFlight = 0;
  let pending = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  const stats = { batches: 0, proven: 0, unsampled: 0, busy: 0, retried: 0, failed: 0 };

  function settle(p: Pending, v: Verdict): void {
    pending--;
    p.job.pending--;
    if (p.job.closed && p.job.pending === 0) freeSlots.push(p.job.slot);
    p.resolve(v);
    if (pending === 0 && drained) drained();
  }

  function seal(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (open.length === 0) return;
    queued.push(open);
    open = [];
    pump();
  }

  function pump(): void {
    while (inFlight < maxInFlight && queued.length > 0) void run(queued.shift()!);
  }

  /** Packs a batch, grouped by input length so each group hashes in lanes. */
  function pack(batch: Pending[]): { buffer: SharedArrayBuffer; order: Pending[] } {
    const byLen = new Map<number, Pending[]>();
    let inputBytes = 0;
    for (const p of batch) {
      const len = OPRHASH_BYTES + p.share.nonce.length;
      inputBytes += len;
      const g = byLen.get(len);
      if (g) g.push(p);
      else byLen.set(len, [p]);
    }
    const layout = batchLayout(batch.length, byLen.size, inputBytes);
    const buffer = buffers.take(layout.totalBytes);
    writeHeader(buffer, layout);
    const v = viewsOf(buffer, layout);
    const order: Pending[] = [];
    let g = 0;
    let off = 0;
    for (const [len, group] of byLen) {
      v.groups[2 * g] = len;
      v.groups[2 * g + 1] = group.length;
      g++;
      for (const p of group) {
        const i = order.length;
        order.push(p);
        v.claimed[i] = p.share.claimedTarget;
        v.slot[i] = p.job.slot;
        v.inputs.set(p.share.oprHash, off);
        v.inputs.set(p.share.nonce, off + OPRHASH_BYTES);
        off += len;
      }
    }
    return { buffer, order };
  }

  async function run(batch: Pending[]): Promise<void> {
    inFlight++;
    stats.batches++;
    let buffer: SharedArrayBuffer | undefined;
    let settled = false;
    try {
      const packed = pack(batch);
      buffer = packed.buffer;
      const order = packed.order;
      const v = viewsOf(buffer);
      let lastError: unknown;
      // Statuses live in the shared buffer and survive a worker's death: the retry skips the
      // shares already decided, so none enters the SoftMaxLimit twice.
      v.status.fill(STATUS_PENDING);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await pool.run({ buffer });
          lastError = undefined;
          break;
        } catch (err) {
          lastError = err;
          if (attempt === 0) {
            stats.retried++;
            log.warn({ err, shares: order.length }, 'validation worker failed on a batch; retrying once');
          }
        }
      }
      if (lastError !== undefined) {
        stats.failed += order.length;
        log.error({ err: lastError, shares: order.length }, 'validation batch failed twice');
        const message = `share validation failed twice: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
        settled = true;
        for (const p of order) settle(p, { valid: false, reason: 'failed', message });
        return;
      }
      settled = true;
      order.forEach((p, i) => settle(p, verdictOf(p, v.status[i]!, v.target[i]!, v.compared[i]!)));
    } catch (err) {
      // Not reachable by design; if it happens, no miner waits forever for a verdict.
      log.error({ err }, 'validation batch bookkeeping failed');
      if (!settled) for (const p of batch) settle(p, { valid: false, reason: 'failed', message: 'internal validation error' });
    } finally {
      if (buffer) buffers.give(buffer);
      inFlight--;
      pump();
    }
  }

  function verdictOf(p: Pending, status: number, target: bigint, compared: bigint): Verdict {
    stats.proven++;
    switch (status) {
      case STATUS_SUBMIT:
        return { valid: true, target, submit: true, sampled: true, displaced: compared };
      case STATUS_VALID:
        return compared > 0n ? { valid: true, target, submit: false, sampled: true, kthBest: compared } : { valid: true, target, submit: false, sampled: true };
      case STATUS_MISMATCH:
        try {
          opts.onMismatch?.(p.share, target);
        } catch (err) {
          log.error({ err }, 'onMismatch hook threw');
        }
        return { valid: false, reason: 'target-mismatch', target, message: `claimed target ${p.share.claimedTarget.toString(16)}, computed ${target.toString(16)}` };
      default:
        stats.failed++;
        return { valid: false, reason: 'failed', message: `worker left status ${status}` };
    }
  }

  return {
    workers,

    openJob(jobId, submitThreshold) {
      if (!Number.isInteger(jobId)) throw new ProsperError('PROSPER_E_VALIDATION_JOB', `job id must be an integer, got ${jobId}`);
      if (!isUint64(submitThreshold)) {
        throw new ProsperError('PROSPER_E_VALIDATION_JOB', 'submit threshold must be a uint64 bigint');
      }
      const known = jobs.get(jobId);
      if (known) {
        // The same job announced again (e.g. rebuilt with fresh prices): keep its SoftMaxLimit,
        // which belongs to the block, and take the new threshold.
        known.threshold = submitThreshold;
        softmax.setThreshold(known.slot, submitThreshold);
        return;
      }
      const slot = freeSlots.pop();
      if (slot === undefined) throw new ProsperError('PROSPER_E_VALIDATION_JOBS_FULL', `${maxJobs} jobs are open or still draining; close one first`);
      softmax.reset(slot, submitThreshold);
      jobs.set(jobId, { slot, threshold: submitThreshold, pending: 0, closed: false });
    },

    closeJob(jobId) {
      const job = jobs.get(jobId);
      if (!job) return;
      jobs.delete(jobId);
      job.closed = true;
      // Shares already queued keep the slot until their verdicts are in.
      if (job.pending === 0) freeSlots.push(job.slot);
    },

    validate(share) {
      const bad = checkShare(share);
      if (bad) return Promise.reject(new ProsperError('PROSPER_E_VALIDATION_SHARE', bad));
      if (closing) return Promise.resolve({ valid: false, reason: 'failed', message: 'the validator is shutting down' });
      const job = jobs.get(share.jobId);
      if (!job) return Promise.resolve({ valid: false, reason: 'unknown-job', message: `job ${share.jobId} is not open` });
      if (share.claimedTarget < share.minTarget) {
        return Promise.resolve({ valid: false, reason: 'below-minimum', message: `claimed target ${share.claimedTarget.toString(16)} is below the assigned ${share.minTarget.toString(16)}` });
      }
      if (sampleOneIn > 1 && share.claimedTarget <= job.threshold && random() * sampleOneIn >= 1) {
        // Not sampled: cannot be submitted, so trusting the claim only affects credit.
        stats.unsampled++;
        return Promise.resolve({ valid: true, target: share.claimedTarget, submit: false, sampled: false });
      }
      if (pending >= maxPending) {
        stats.busy++;
        return Promise.resolve({ valid: false, reason: 'busy', message: `validation queue full (${maxPending} shares)` });
      }
      pending++;
      job.pending++;
      return new Promise<Verdict>((resolve) => {
        open.push({ share, job, resolve });
        if (open.length >= batchSize) seal();
        else if (!timer) timer = setTimeout(seal, batchDelayMs);
      });
    },

    async close() {
      if (closing) return;
      closing = true;
      seal();
      if (pending > 0) await new Promise<void>((r) => (drained = r));
      await pool.destroy();
    },

    softMaxSurvivors(jobId) {
      const job = jobs.get(jobId);
      return job ? softmax.survivors(job.slot) : undefined;
    },

    stats: () => ({ pending, inFlightBatches: inFlight, queuedBatches: queued.length, ...stats, utilization: pool.utilization }),

    crashNextBatches(n) {
      Atomics.store(faultCounter, 0, n);
    },
  };
}
