import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProsperError } from '../../errors.js';

/** native-bench/ of this checkout (from src or dist), or undefined when it is not there. */
export function nativeBenchDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'native-bench', 'Makefile'))) return join(dir, 'native-bench');
    dir = dirname(dir);
  }
  return undefined;
}

/** Builds a native-bench tool (make) and returns its path; a coded error when it cannot. */
export function nativeTool(name: 'bench' | 'chase'): string {
  const dir = nativeBenchDir();
  if (!dir) throw new ProsperError('PROSPER_E_BENCH_NATIVE', 'native-bench/ is not in this checkout');
  try {
    execFileSync('make', ['-s', '-C', dir, name], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new ProsperError('PROSPER_E_BENCH_NATIVE', `cannot build native-bench/${name} (make and a C compiler are needed)`, { cause: err });
  }
  return join(dir, name);
}

function runJson<T>(tool: string, args: string[]): T {
  const text = execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ProsperError('PROSPER_E_BENCH_NATIVE', `${tool} printed no JSON: ${text.slice(0, 200)}`, { cause: err });
  }
}

/** native-bench/chase: one random-access latency and the misses one core keeps in flight. */
export interface ChaseResult {
  bufferMiB: number;
  hugeAdvice: string;
  /** Fraction of the buffer the kernel really backed with huge pages (0..1). */
  hugeFraction: number;
  latencyNs: number;
  missesInFlight: number;
  atChains: number;
  chains: { chains: number; nsPerStep: number; inFlight: number }[];
}

export function runChase(mib: number, huge: boolean, secondsPerPoint: number): ChaseResult {
  return runJson<ChaseResult>(nativeTool('chase'), [String(mib), huge ? 'huge' : 'nohuge', String(secondsPerPoint)]);
}

/**
 * Hashes per second of a C kernel of native-bench/lxrhash.h ('8' = 8 lanes lockstep, 'p16' = 16
 * prefetching lanes) on `threads` threads, the table read from `tableFile` ('-': generated).
 */
export function runCKernel(kernel: string, bits: number, tableFile: string, seconds: number, threads: number, len: number, huge: boolean): KernelRates {
  const args = [String(bits), tableFile, String(seconds), String(threads), kernel, String(len)];
  if (huge) args.push('huge');
  return runJson<KernelRates>(nativeTool('bench'), args);
}

/** Hashes per second of wall time, and per second of the hashing threads' CPU time. */
export interface KernelRates {
  hashesPerSecond: number;
  hashesPerCpuSecond: number;
}
