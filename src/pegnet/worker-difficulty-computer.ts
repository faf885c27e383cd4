/**
 * A DifficultyComputer that hashes on worker threads sharing the table's memory, so grading
 * a block never holds the main thread (Stratum, HTTP) for the length of the LXR checks.
 */
import type { Worker } from 'node:worker_threads';
import { ProsperError } from '../errors.js';
import { powInput, type LxrTable } from '../lxr/index.js';
import { startWorker, workerUrl } from '../util/worker-url.js';
import type { DifficultyComputer } from './difficulty-computer.js';

export interface WorkerDifficultyComputer extends DifficultyComputer {
  close(): Promise<void>;
}

interface Pending {
  resolve(targets: bigint[]): void;
  reject(err: Error): void;
}

export function workerDifficultyComputer(table: LxrTable, opts: { threads?: number; kernel?: string } = {}): WorkerDifficultyComputer {
  if (!(table.bytes.buffer instanceof SharedArrayBuffer)) {
    throw new ProsperError('PROSPER_E_PEGNET_TABLE', 'the LXRHash table must live in shared memory to be hashed on workers');
  }
  const threads = Math.max(1, opts.threads ?? 2);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const workers: Worker[] = Array.from({ length: threads }, () => {
    const w = startWorker(workerUrl(import.meta.url, 2, 'grade'), { workerData: { bytes: table.bytes, bits: table.bits, kernel: opts.kernel } });
    w.on('message', (m: { id: number; targets?: bigint[]; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.targets) p.resolve(m.targets);
      else p.reject(new ProsperError('PROSPER_E_PEGNET_HASH', `difficulty worker failed: ${m.error}`));
    });
    w.on('error', (err) => failAll(new ProsperError('PROSPER_E_PEGNET_HASH', `difficulty worker crashed: ${err.message}`, { cause: err })));
    w.on('exit', (code) => { if (!closed) failAll(new ProsperError('PROSPER_E_PEGNET_HASH', `difficulty worker exited with ${code}`)); });
    w.unref();
    return w;
  });

  const ask = (w: Worker, inputs: Uint8Array[]): Promise<bigint[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.ref(); // keep the process alive while an answer is due
      w.postMessage({ id, inputs });
    }).finally(() => { if (pending.size === 0) for (const x of workers) x.unref(); }) as Promise<bigint[]>;

  return {
    async computeTargets(items) {
      if (closed) throw new ProsperError('PROSPER_E_PEGNET_HASH', 'difficulty computer is closed');
      if (items.length === 0) return [];
      const inputs = items.map((it) => powInput(it.oprHash, it.nonce));
      const per = Math.ceil(inputs.length / workers.length);
      const parts = await Promise.all(
        workers.map((w, i) => (i * per < inputs.length ? ask(w, inputs.slice(i * per, (i + 1) * per)) : Promise.resolve([]))),
      );
      return parts.flat();
    },
    async close() {
      closed = true;
      failAll(new ProsperError('PROSPER_E_PEGNET_HASH', 'difficulty computer closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
