import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { autoKernelName, autoKernelReason } from '../kernels/index.js';
import { loadNativeAddon } from '../native-addon.js';
import { loadOrCreateTable, type LxrTable } from '../table.js';
import { batchFigures, kernelFigures, laneFigures } from './kernel-sections.js';
import { lookupsPerHash, memoryLimitPerCore } from './limit.js';
import { machineInfo } from './machine.js';
import { runChase } from './native-tools.js';
import type { BenchReport, Figure, LimitFigure } from './report-types.js';
import type { SuiteSection } from './sections.js';
import { minerFigures, stratumFigures, tableFigures, validationFigures } from './system-sections.js';

export interface SuiteOptions {
  quick: boolean;
  bits: number[];
  rounds: number;
  /** Seconds per sample. */
  seconds: number;
  threads: number[];
  only: SuiteSection[];
  tableDir?: string;
  /** Kernel figures in wall-clock or CPU-time hashes per second (kernel-sections.ts). */
  clock: 'wall' | 'cpu';
  command: string;
  logger?: Logger;
}

/** Defaults: --quick is the 20-bit table, 3 short rounds (under two minutes); else 20 and 30 bits, 5 rounds. */
export function suiteDefaults(quick: boolean): Pick<SuiteOptions, 'bits' | 'rounds' | 'seconds' | 'threads'> {
  const cores = availableParallelism();
  return {
    bits: quick ? [20] : [20, 30],
    rounds: quick ? 3 : 5,
    seconds: quick ? 0.4 : 2,
    threads: Array.from({ length: cores }, (_, i) => i + 1),
  };
}

const LEN = 40;

function measureLimit(bits: number, quick: boolean): LimitFigure {
  const mib = Math.max(1, 2 ** bits / 2 ** 20);
  const perPoint = quick ? 0.05 : 0.25;
  const huge = runChase(mib, true, perPoint);
  const noHuge = runChase(mib, false, perPoint);
  return { bits, len: LEN, lookupsPerHash: lookupsPerHash(LEN), huge, noHuge, perCore: memoryLimitPerCore(huge, LEN) };
}

/** Runs the selected sections and returns the report (JSON-ready). */
export async function runSuite(o: SuiteOptions): Promise<BenchReport> {
  const started = performance.now();
  const machine = machineInfo();
  const want = (s: SuiteSection) => o.only.length === 0 || o.only.includes(s);
  const cores = availableParallelism();
  const report: BenchReport = {
    version: 1,
    command: o.command,
    machine,
    options: { quick: o.quick, bits: o.bits, rounds: o.rounds, seconds: o.seconds, threads: o.threads, only: o.only, clock: o.clock },
    limits: [],
    kernelChoice: o.bits.map((bits) => ({ bits, kernel: autoKernelName(bits, loadNativeAddon() !== null), reason: autoKernelReason(bits, loadNativeAddon() !== null) })),
    figures: [],
    skipped: [],
    elapsedSeconds: 0,
  };
  const add = (fs: Figure[]) => report.figures.push(...fs);
  for (const bits of o.bits) {
    const step = (name: string) => o.logger?.info({ bits, section: name }, `bench: ${name}, ${bits} bits`);
    let limitPerCore = 0;
    // The chase is also what every hashing figure's ratio to the limit needs.
    if (['limit', 'kernels', 'lanes', 'batch', 'validation', 'miner'].some((s) => want(s as SuiteSection))) {
      step('limit');
      try {
        const limit = measureLimit(bits, o.quick);
        report.limits.push(limit);
        limitPerCore = limit.perCore;
      } catch (err) {
        report.skipped.push({ section: `limit-${bits}`, reason: (err as Error).message });
      }
    }
    let table: LxrTable;
    try {
      table = await loadOrCreateTable({ bits, dir: o.tableDir, logger: o.logger });
    } catch (err) {
      report.skipped.push({ section: `${bits} bits`, reason: (err as Error).message });
      continue;
    }
    const k = { table, tableDir: o.tableDir, len: LEN, seconds: o.seconds, rounds: o.rounds, threads: o.threads, limitPerCore, clock: o.clock };
    const sys = { table, tableDir: o.tableDir, seconds: o.seconds, rounds: o.rounds, cores, limitPerCore };
    if (want('kernels')) { step('kernels'); add(await kernelFigures(k)); }
    if (want('lanes')) { step('lanes'); add(await laneFigures(k)); }
    if (want('batch')) { step('batch'); add(await batchFigures(k, [1, 8, 16, 32, 64, 256])); }
    if (want('validation')) { step('validation'); add(await validationFigures(sys)); }
    if (want('miner')) { step('miner'); add(await minerFigures(sys, o.threads)); }
    if (want('table')) { step('table'); add(await tableFigures(sys, Math.min(bits, 24))); }
  }
  if (want('stratum')) {
    const bits = Math.min(...o.bits);
    o.logger?.info({ section: 'stratum' }, 'bench: stratum');
    const table = await loadOrCreateTable({ bits, dir: o.tableDir });
    const r = await stratumFigures({ table, tableDir: o.tableDir, seconds: o.seconds, rounds: o.rounds, cores, limitPerCore: 0 }, o.quick ? 200 : 2000);
    if (typeof r === 'string') report.skipped.push({ section: 'stratum', reason: r });
    else add(r);
  }
  report.elapsedSeconds = (performance.now() - started) / 1000;
  return report;
}
