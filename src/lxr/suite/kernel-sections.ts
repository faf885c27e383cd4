import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { runKernelBench } from '../bench.js';
import { createHasher } from '../hasher.js';
import { autoKernelName, createKernel, KERNEL_NAMES, type KernelName } from '../kernels/index.js';
import { loadNativeAddon } from '../native-addon.js';
import { tableFileName } from '../params.js';
import { defaultTableDir, type LxrTable } from '../table.js';
import { makeFigure } from './figure.js';
import type { Figure } from './report-types.js';
import { alternate, type Candidate } from './stats.js';
import { runCKernel, type KernelRates } from './native-tools.js';

export interface KernelSectionOptions {
  table: LxrTable;
  tableDir?: string;
  len: number;
  seconds: number;
  rounds: number;
  threads: number[];
  /** Hashes per second per core the memory allows for this table. */
  limitPerCore: number;
  /**
   * 'wall': hashes per second of elapsed time (what the threads deliver together); 'cpu': per
   * second of the hashing threads' CPU time, a core's rate while it is scheduled, which is the
   * steadier figure on a machine other jobs share (time descheduled does not count).
   */
  clock: 'wall' | 'cpu';
}

const pick = (r: KernelRates, clock: 'wall' | 'cpu'): number => (clock === 'cpu' ? r.hashesPerCpuSecond : r.hashesPerSecond);
/** The unit and the limit of a kernel figure on `threads` threads for that clock. */
const clockUnit = (clock: 'wall' | 'cpu') => (clock === 'cpu' ? 'hashes per CPU-second' : 'hashes/s');
const clockLimit = (o: KernelSectionOptions, threads: number) => (o.clock === 'cpu' ? o.limitPerCore : o.limitPerCore * threads);

/** The C reference every kernel figure is a ratio to: 8 lockstep lanes, huge pages (native-bench). */
export const C_REFERENCE = { kernel: '8', name: 'C K=8 (huge pages)' };

/** Kernels the suite measures: the one 'auto' picks, the former default, and the TypeScript ones. */
export function suiteKernels(bits: number): KernelName[] {
  const names: KernelName[] = [autoKernelName(bits, loadNativeAddon() !== null), 'native16', 'native32p', 'native8', 'js8', 'js4'];
  return [...new Set(names)].filter((n) => createKernel(n) !== null);
}

function tableFileFor(table: LxrTable, tableDir?: string): string {
  const path = table.path ?? join(tableDir ?? defaultTableDir(), tableFileName(table.bits));
  return existsSync(path) ? path : '-';
}

/** Inputs per kernel call in the kernel and lane figures: a multiple of every width (8, 16, 24, 32), as the C harness uses. */
export const SUITE_BATCH = 96;

const kernelRate = async (table: LxrTable, kernel: KernelName, threads: number, seconds: number, len: number, batch = SUITE_BATCH): Promise<KernelRates> =>
  (await runKernelBench({ table, seconds, len, threads: [threads], kernels: [kernel], batch }))[0]!;

/** Kernels against the C reference and the memory limit, on 1..N threads, alternating per round. */
export async function kernelFigures(o: KernelSectionOptions): Promise<Figure[]> {
  const { table, len, seconds } = o;
  const file = tableFileFor(table, o.tableDir);
  const figures: Figure[] = [];
  const hasC = loadNativeAddon() !== null;
  for (const threads of o.threads) {
    const candidates: Candidate[] = suiteKernels(table.bits).map((k) => ({ id: k, measure: async () => pick(await kernelRate(table, k, threads, seconds, len), o.clock) }));
    if (hasC) candidates.push({ id: 'c', measure: async () => pick(runCKernel(C_REFERENCE.kernel, table.bits, file, seconds, threads, len, true), o.clock) });
    const samples = await alternate(candidates, o.rounds);
    for (const [id, s] of samples) {
      const name = id === 'c' ? C_REFERENCE.name : id;
      figures.push(makeFigure({
        id: `kernel/${table.bits}/${id}/t${threads}`,
        section: `kernels-${table.bits}`,
        label: `${name}, ${threads} thread${threads > 1 ? 's' : ''}`,
        unit: clockUnit(o.clock),
        samples: s,
        reference: id !== 'c' && samples.has('c') ? { name: C_REFERENCE.name, samples: samples.get('c')! } : undefined,
        limit: clockLimit(o, threads),
        plot: { chart: `threads-${table.bits}`, series: name, x: threads },
      }));
    }
  }
  return figures;
}

/**
 * Hashes per second of `kernel` called in this thread with `batch` inputs per call, by tinybench
 * (wall time: its mean throughput; CPU time: every call, warm-up included, over the process's CPU
 * time, which is this thread's while it hashes).
 */
async function inThreadRate(table: LxrTable, kernel: KernelName, batch: number, seconds: number, len: number): Promise<KernelRates> {
  const hasher = createHasher(table, kernel);
  const src = new Uint8Array(len * batch);
  const view = new DataView(src.buffer);
  const out = new Uint8Array(32 * batch);
  let counter = 0;
  let calls = 0;
  const bench = new Bench({ time: seconds * 1000, warmupTime: 100 });
  bench.add(kernel, () => {
    for (let i = 0; i < batch; i++) view.setUint32(i * len + len - 4, counter++);
    hasher.hashBatch(src, len, batch, out);
    calls++;
  });
  const cpu0 = process.cpuUsage();
  await bench.run();
  const cpu = process.cpuUsage(cpu0);
  const result = bench.tasks[0]!.result as { throughput?: { mean: number } };
  return { hashesPerSecond: (result.throughput?.mean ?? 0) * batch, hashesPerCpuSecond: (calls * batch) / ((cpu.user + cpu.system) / 1e6) };
}

/** One thread of the 'auto' kernel by batch size (inputs per call, in this thread by tinybench), against the C reference. */
export async function batchFigures(o: KernelSectionOptions, batches: number[]): Promise<Figure[]> {
  const { table, len, seconds } = o;
  const kernel = suiteKernels(table.bits)[0]!;
  const candidates: Candidate[] = batches.map((b) => ({ id: String(b), measure: async () => pick(await inThreadRate(table, kernel, b, seconds, len), o.clock) }));
  const hasC = loadNativeAddon() !== null;
  const file = tableFileFor(table, o.tableDir);
  if (hasC) candidates.push({ id: 'c', measure: async () => pick(runCKernel(C_REFERENCE.kernel, table.bits, file, seconds, 1, len, true), o.clock) });
  const samples = await alternate(candidates, o.rounds);
  return batches.map((b) => makeFigure({
    id: `batch/${table.bits}/${kernel}/b${b}`,
    section: `batch-${table.bits}`,
    label: `${kernel}, batch ${b}, 1 thread`,
    unit: clockUnit(o.clock),
    samples: samples.get(String(b))!,
    reference: samples.has('c') ? { name: C_REFERENCE.name, samples: samples.get('c')! } : undefined,
    limit: o.limitPerCore,
    plot: { chart: `batch-${table.bits}`, series: kernel, x: b },
  }));
}

/**
 * The lane experiment: every native width, lockstep and prefetching, and the same C kernels of
 * native-bench/, one thread, against the C reference (the former 8-lane default) in each round.
 */
export async function laneFigures(o: KernelSectionOptions): Promise<Figure[]> {
  const { table, len, seconds } = o;
  if (loadNativeAddon() === null) return [];
  const file = tableFileFor(table, o.tableDir);
  const native = KERNEL_NAMES.filter((n) => /^native(8|16|24|32)p?$/.test(n));
  const candidates: Candidate[] = native.map((k) => ({ id: k, measure: async () => pick(await kernelRate(table, k, 1, seconds, len), o.clock) }));
  for (const c of ['16', 'p16', 'p24', 'p32']) candidates.push({ id: `C ${c}`, measure: async () => pick(runCKernel(c, table.bits, file, seconds, 1, len, true), o.clock) });
  candidates.push({ id: 'c', measure: async () => pick(runCKernel(C_REFERENCE.kernel, table.bits, file, seconds, 1, len, true), o.clock) });
  const samples = await alternate(candidates, o.rounds);
  return [...samples].map(([id, s]) => makeFigure({
    id: `lanes/${table.bits}/${id}`,
    section: `lanes-${table.bits}`,
    label: `${id === 'c' ? C_REFERENCE.name : id}, 1 thread`,
    unit: clockUnit(o.clock),
    samples: s,
    reference: id !== 'c' ? { name: C_REFERENCE.name, samples: samples.get('c')! } : undefined,
    limit: o.limitPerCore,
  }));
}
