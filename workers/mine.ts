// Miner hashing thread: grinds oprhash || nonce against the shared LXRHash table in batches,
// yielding to its message loop between batches so job/target changes apply at once.
import { parentPort, workerData } from 'node:worker_threads';
import { createHasher } from '../src/lxr/hasher.js';
import { targetOfHash } from '../src/lxr/pow.js';
import { monotonicMs } from '../src/stratum/clock.js';
import { NONCE_BYTES, NONCE_PREFIX_BYTES, writeCounter, writeNoncePrefix } from '../src/miner/nonce.js';
import type { FromThread, ThreadData, ToThread } from '../src/miner/thread-messages.js';

const data = workerData as ThreadData;
const hasher = createHasher({ bits: data.bits, bytes: data.table, sha256: '' }, data.kernel);
const port = parentPort!;
const LEN = 32 + NONCE_BYTES;
const batch = Math.max(1, data.batch);
const src = new Uint8Array(LEN * batch);
const out = new Uint8Array(32 * batch);

let running = false;
let scheduled = false;
let jobId = 0;
let oprHash = new Uint8Array(32);
let connectionNonce = data.thread;
let counter = 0;
let target = 0xfffe000000000000n;
let targetHi = 0;
let hashes = 0;
let lastReport = monotonicMs();
let warned = false;

function post(msg: FromThread): void {
  port.postMessage(msg);
}

function setTarget(t: bigint): void {
  target = t;
  targetHi = Number(t >> 32n);
}

function layout(): void {
  for (let i = 0; i < batch; i++) {
    src.set(oprHash, i * LEN);
    writeNoncePrefix(src, i * LEN + 32, connectionNonce, data.thread);
  }
}

function report(): void {
  if (hashes > 0) post({ type: 'hashes', thread: data.thread, jobId, hashes });
  hashes = 0;
  lastReport = monotonicMs();
}

function loop(): void {
  scheduled = false;
  if (!running) return;
  for (let i = 0; i < batch; i++) writeCounter(src, i * LEN + 32 + NONCE_PREFIX_BYTES, (counter + i) >>> 0);
  hasher.hashBatch(src, LEN, batch, out);
  for (let i = 0; i < batch; i++) {
    const o = i * 32;
    const hi = ((out[o]! << 24) | (out[o + 1]! << 16) | (out[o + 2]! << 8) | out[o + 3]!) >>> 0;
    // Strictly greater than the minimum, as the original miner.
    if (hi < targetHi) continue;
    const t = targetOfHash(out, o);
    if (t > target) {
      const nonce = src.slice(i * LEN + 32, (i + 1) * LEN);
      post({ type: 'share', thread: data.thread, jobId, oprHash, nonce, target: t });
    }
  }
  const before = counter;
  counter = (counter + batch) >>> 0;
  if (counter < before && !warned) {
    warned = true;
    post({ type: 'warn', thread: data.thread, message: 'nonce counter wrapped: repeating nonces for this job' });
  }
  hashes += batch;
  if (monotonicMs() - lastReport >= 1000) report();
  schedule();
}

function schedule(): void {
  if (!scheduled && running) {
    scheduled = true;
    setImmediate(loop);
  }
}

port.on('message', (msg: ToThread) => {
  switch (msg.type) {
    case 'job':
      report();
      jobId = msg.jobId;
      oprHash = Uint8Array.from(msg.oprHash);
      connectionNonce = msg.connectionNonce >>> 0;
      setTarget(msg.target);
      counter = 0;
      warned = false;
      layout();
      running = true;
      schedule();
      break;
    case 'target':
      setTarget(msg.target);
      break;
    case 'nonce':
      connectionNonce = msg.connectionNonce >>> 0;
      counter = 0;
      layout();
      break;
    case 'pause':
      report();
      running = false;
      break;
    case 'stop':
      report();
      running = false;
      port.close();
      break;
  }
});
