// Piscina worker entry of the share validator (src/validation/validator.ts). It is handed the
// LXRHash table and the SoftMaxLimit once, at start (both SharedArrayBuffers, never copied),
// then proves batches packed by the main thread in shared buffers (src/validation/batch-layout.ts).
import { workerData } from 'node:worker_threads';
import { createHasher, LXR_HASH_BYTES, targetOfHash, type KernelName } from '../src/lxr/index.js';
import { STATUS_MISMATCH, STATUS_PENDING, STATUS_SUBMIT, STATUS_VALID, viewsOf } from '../src/validation/batch-layout.js';
import { OFFER_ADMITTED, SoftMaxLimit } from '../src/validation/softmax.js';
import type { ValidateWorkerData } from '../src/validation/worker-data.js';

const init = workerData as ValidateWorkerData;
const hasher = createHasher({ bits: init.bits, bytes: init.table, sha256: '' }, init.kernel as KernelName | 'auto');
const softmax = new SoftMaxLimit(init.softmax);
const faults = init.faults ? new Int32Array(init.faults) : undefined;
let out = new Uint8Array(LXR_HASH_BYTES * 64);

/** Proves every share of the batch and writes the verdicts into it; returns the share count. */
export default function validateBatch(task: { buffer: SharedArrayBuffer }): number {
  const v = viewsOf(task.buffer);
  const { n } = v.layout;
  // Fault injection (tests, drills): this batch kills its worker half way through.
  const dieAt = faults && Atomics.load(faults, 0) > 0 && Atomics.sub(faults, 0, 1) > 0 ? n >> 1 : -1;
  let share = 0;
  let inputOff = 0;
  for (let g = 0; g < v.layout.groups; g++) {
    const len = v.groups[2 * g]!;
    const count = v.groups[2 * g + 1]!;
    if (out.length < LXR_HASH_BYTES * count) out = new Uint8Array(LXR_HASH_BYTES * count);
    hasher.hashBatch(v.inputs.subarray(inputOff, inputOff + len * count), len, count, out);
    inputOff += len * count;
    for (let i = 0; i < count; i++, share++) {
      if (share === dieAt) process.exit(70);
      // Decided by an earlier attempt that died later in the batch: keep that verdict.
      if (v.status[share] !== STATUS_PENDING) continue;
      const target = targetOfHash(out, i * LXR_HASH_BYTES);
      v.target[share] = target;
      v.compared[share] = 0n;
      // The main thread already checked claimed >= minimum, so a matching target reaches it.
      if (target !== v.claimed[share]) v.status[share] = STATUS_MISMATCH;
      else {
        const admitted = softmax.offer(v.slot[share]!, target) === OFFER_ADMITTED;
        v.compared[share] = softmax.lastCompared;
        v.status[share] = admitted ? STATUS_SUBMIT : STATUS_VALID;
      }
    }
  }
  return n;
}
