import { startWorker, workerUrl } from '../util/worker-url.js';
import { availableKernels, type KernelName } from './kernels/index.js';
import type { LxrTable } from './table.js';

export interface KernelBenchResult {
  kernel: KernelName;
  threads: number;
  len: number;
  hashes: number;
  seconds: number;
  hashesPerSecond: number;
  /** CPU time of the process while the workers ran (the main thread waits), and hashes per CPU second: a core's rate while it is scheduled. */
  cpuSeconds: number;
  hashesPerCpuSecond: number;
}

export interface KernelBenchOptions {
  table: LxrTable;
  seconds: number;
  len: number;
  threads: number[];
  kernels?: KernelName[];
  /** Inputs per kernel call (default: 64, a typical validation batch). */
  batch?: number;
}

/** Hashes per second of each kernel on `threads` worker threads sharing the one table. */
export async function runKernelBench(opts: KernelBenchOptions): Promise<KernelBenchResult[]> {
  const names = opts.kernels ?? availableKernels().map((k) => k.name);
  const results: KernelBenchResult[] = [];
  for (const kernel of names) {
    for (const threads of opts.threads) {
      const start = new Int32Array(new SharedArrayBuffer(4));
      const runs = Array.from({ length: threads }, (_, i) => new Promise<{ hashes: number; seconds: number }>((resolve, reject) => {
        const w = startWorker(workerUrl(import.meta.url, 2, 'lxr-bench'), {
          workerData: { bytes: opts.table.bytes, bits: opts.table.bits, kernel, len: opts.len, batch: opts.batch ?? 64, seconds: opts.seconds, lane: i, start },
        });
        w.once('message', resolve);
        w.once('error', reject);
      }));
      // Let every worker load, then start them together.
      await new Promise((r) => setTimeout(r, 200));
      const cpu0 = process.cpuUsage();
      Atomics.store(start, 0, 1);
      Atomics.notify(start, 0);
      const done = await Promise.all(runs);
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const hashes = done.reduce((s, d) => s + d.hashes, 0);
      const seconds = Math.max(...done.map((d) => d.seconds));
      results.push({ kernel, threads, len: opts.len, hashes, seconds, hashesPerSecond: hashes / seconds, cpuSeconds, hashesPerCpuSecond: hashes / cpuSeconds });
    }
  }
  return results;
}
