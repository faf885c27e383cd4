/** The miner's hashing threads: one worker per thread, all mapping the same shared table. */
import { EventEmitter } from 'node:events';
import { ProsperError } from '../errors.js';
import type { Worker } from 'node:worker_threads';
import type { LxrTable } from '../lxr/table.js';
import { startWorker, workerUrl } from '../util/worker-url.js';
import type { FromThread, ThreadData, ToThread } from './thread-messages.js';

export interface MinerThreadsOptions {
  table: LxrTable;
  threads: number;
  kernel: string;
  batch: number;
}

export interface FoundShare {
  thread: number;
  jobId: number;
  oprHash: Uint8Array;
  nonce: Uint8Array;
  target: bigint;
}

export class MinerThreads extends EventEmitter {
  private readonly workers: Worker[] = [];
  /** Hashes per job id, summed over threads. */
  readonly hashesByJob = new Map<number, number>();

  constructor(private readonly opts: MinerThreadsOptions) {
    super();
    if (!(opts.table.bytes.buffer instanceof SharedArrayBuffer)) throw new ProsperError('PROSPER_E_MINER_TABLE', 'the LXRHash table must live in a SharedArrayBuffer');
    for (let t = 0; t < opts.threads; t++) {
      const data: ThreadData = { table: opts.table.bytes, bits: opts.table.bits, kernel: opts.kernel, thread: t, batch: opts.batch };
      const w = startWorker(workerUrl(import.meta.url, 2, 'mine'), { workerData: data });
      w.on('message', (m: FromThread) => this.onMessage(m));
      w.on('error', (err) => this.emit('error', err));
      this.workers.push(w);
    }
  }

  get count(): number {
    return this.workers.length;
  }

  private onMessage(m: FromThread): void {
    if (m.type === 'share') this.emit('share', m satisfies FoundShare);
    else if (m.type === 'hashes') this.hashesByJob.set(m.jobId, (this.hashesByJob.get(m.jobId) ?? 0) + m.hashes);
    else this.emit('warn', m.message);
  }

  private broadcast(msg: ToThread): void {
    for (const w of this.workers) w.postMessage(msg);
  }

  job(jobId: number, oprHash: Uint8Array, connectionNonce: number, target: bigint): void {
    this.broadcast({ type: 'job', jobId, oprHash, connectionNonce, target });
  }

  setTarget(target: bigint): void {
    this.broadcast({ type: 'target', target });
  }

  setNonce(connectionNonce: number): void {
    this.broadcast({ type: 'nonce', connectionNonce });
  }

  pause(): void {
    this.broadcast({ type: 'pause' });
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
