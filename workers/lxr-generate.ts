// Worker entry: generates an LXRHash table into the SharedArrayBuffer it was handed, writing
// progress (steps done / 2^20) into a shared Int32Array that the main thread polls.
import { parentPort, workerData } from 'node:worker_threads';
import { generateTableInto } from '../src/lxr/table.js';

const { bytes, bits, progress } = workerData as { bytes: Uint8Array; bits: number; progress: Int32Array };
generateTableInto(bytes, bits, progress);
parentPort?.postMessage('done');
