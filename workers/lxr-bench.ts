// Worker entry for kernel benchmarks: hashes distinct inputs with one kernel for a fixed
// time against the shared table and reports how many it did.
import { parentPort, workerData } from 'node:worker_threads';
import { createKernel, type KernelName } from '../src/lxr/kernels/index.js';

const { bytes, bits, kernel: name, len, batch, seconds, lane, start } = workerData as {
  bytes: Uint8Array; bits: number; kernel: KernelName; len: number; batch: number; seconds: number; lane: number; start: Int32Array;
};
const kernel = createKernel(name);
if (!kernel) throw new Error(`kernel ${name} is not available`);
const src = new Uint8Array(len * batch);
const view = new DataView(src.buffer);
const out = new Uint8Array(32 * batch);
Atomics.wait(start, 0, 0);
let counter = lane * 2 ** 32;
let hashes = 0;
const t0 = performance.now();
const until = t0 + seconds * 1000;
let now = t0;
while (now < until) {
  // Every lane gets its own nonce in the last 8 bytes, as shares do.
  for (let i = 0; i < batch; i++) view.setFloat64(i * len + len - 8, counter++);
  kernel.hashBatch(bytes, bits, src, len, batch, out);
  hashes += batch;
  now = performance.now();
}
parentPort!.postMessage({ hashes, seconds: (now - t0) / 1000 });
