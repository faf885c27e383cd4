import type { MachineInfo } from './machine.js';
import type { ChaseResult } from './native-tools.js';
import type { Spread } from './stats.js';

/** One measured figure: median and range over alternating rounds, with the loads seen. */
export interface Figure {
  /** Stable key across runs (what --compare matches on). */
  id: string;
  section: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  value: Spread;
  samples: number[];
  loadAverages: number[];
  /** What the figure is a ratio to, the per-round ratio, and the ratio to the memory limit. */
  reference?: string;
  vsReference?: Spread;
  vsLimit?: Spread;
  /** Plot coordinates: series name and x (threads or batch size). */
  plot?: { chart: string; series: string; x: number };
}

export interface LimitFigure {
  bits: number;
  len: number;
  lookupsPerHash: number;
  huge: ChaseResult;
  noHuge: ChaseResult;
  /** Hashes per second per core the memory allows (with huge pages, as the kernels run). */
  perCore: number;
}

export interface BenchReport {
  version: 1;
  command: string;
  machine: MachineInfo;
  options: { quick: boolean; bits: number[]; rounds: number; seconds: number; threads: number[]; only: string[]; clock: 'wall' | 'cpu' };
  limits: LimitFigure[];
  /** 'auto' kernel per table size, and why. */
  kernelChoice: { bits: number; kernel: string; reason: string }[];
  figures: Figure[];
  /** Sections skipped, with why (missing table, no addon...). */
  skipped: { section: string; reason: string }[];
  elapsedSeconds: number;
}
