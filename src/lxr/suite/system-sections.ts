import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NONCE_BYTES } from '../../miner/nonce.js';
import { MinerThreads } from '../../miner/threads.js';
import { createShareValidator, seededRandom, type ShareToValidate } from '../../validation/index.js';
import { runKernelBench } from '../bench.js';
import { createHasher } from '../hasher.js';
import { targetOfHash } from '../pow.js';
import { generateTableInto, allocSharedTable, loadOrCreateTable, type LxrTable } from '../table.js';
import { makeFigure } from './figure.js';
import { lookupsPerHash } from './limit.js';
import type { Figure } from './report-types.js';
import { alternate, type Candidate } from './stats.js';
import { suiteKernels } from './kernel-sections.js';

const LEN = 40; // oprhash + 8-byte nonce, as shares and the suite's kernel figures use
const MINER_LEN = 32 + NONCE_BYTES;

export interface SystemSectionOptions {
  table: LxrTable;
  tableDir?: string;
  seconds: number;
  rounds: number;
  cores: number;
  limitPerCore: number;
}

const kernelOnThreads = async (table: LxrTable, threads: number, seconds: number, batch: number, len = LEN): Promise<number> =>
  (await runKernelBench({ table, seconds, len, threads: [threads], kernels: [suiteKernels(table.bits)[0]!], batch }))[0]!.hashesPerSecond;

/** Valid shares for one job, proven here once (with `kernel`) so the engine sees honest claims. */
export function honestShares(table: LxrTable, count: number, kernel?: string): ShareToValidate[] {
  const rng = seededRandom(1);
  const oprHash = new Uint8Array(32).map(() => rng.u32() & 0xff);
  const src = new Uint8Array(LEN * count);
  for (let i = 0; i < count; i++) {
    src.set(oprHash, i * LEN);
    for (let j = 32; j < LEN; j++) src[i * LEN + j] = rng.u32() & 0xff;
  }
  const out = createHasher(table, kernel).hashBatch(src, LEN, count);
  return Array.from({ length: count }, (_, i) => ({ jobId: 1, oprHash, nonce: src.slice(i * LEN + 32, (i + 1) * LEN), claimedTarget: targetOfHash(out, i * 32), minTarget: 0n }));
}

/** Shares proven per second by the validation engine kept full for `seconds`, on `workers` workers. */
async function engineRate(table: LxrTable, shares: ShareToValidate[], workers: number, batchSize: number, seconds: number): Promise<number> {
  const maxPending = Math.max(4096, 8 * workers * batchSize);
  const validator = createShareValidator({ table, workers, batchSize, batchDelayMs: 1, maxPending });
  validator.openJob(1, 0xffc0000000000000n);
  try {
    await Promise.all(shares.slice(0, workers * batchSize * 2).map((s) => validator.validate(s)));
    let done = 0;
    let outstanding = 0;
    let next = 0;
    let stop = false;
    const window = maxPending - batchSize;
    const pump = (): void => {
      while (!stop && outstanding < window) {
        outstanding++;
        void validator.validate(shares[next++ % shares.length]!).then(() => { outstanding--; done++; });
      }
    };
    const refill = setInterval(pump, 0);
    const t0 = performance.now();
    pump();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const rate = done / ((performance.now() - t0) / 1000);
    stop = true;
    clearInterval(refill);
    return rate;
  } finally {
    await validator.close();
  }
}

/** The validation engine on every core against cores x the bare kernel on as many threads. */
export async function validationFigures(o: SystemSectionOptions): Promise<Figure[]> {
  const batch = 64;
  const shares = honestShares(o.table, 1 << 13);
  const samples = await alternate([
    { id: 'engine', measure: () => engineRate(o.table, shares, o.cores, batch, o.seconds) },
    { id: 'kernel', measure: () => kernelOnThreads(o.table, o.cores, o.seconds, batch) },
  ], o.rounds);
  return [makeFigure({
    id: `validation/${o.table.bits}/w${o.cores}`,
    section: 'validation',
    label: `validation engine, ${o.cores} workers, batch ${batch}, ${o.table.bits}-bit table`,
    unit: 'shares/s',
    samples: samples.get('engine')!,
    reference: { name: `kernel on ${o.cores} threads (cores x kernel)`, samples: samples.get('kernel')! },
    limit: o.limitPerCore * o.cores,
  })];
}

/** Hashes per second of the miner's threads (workers/mine.ts) against the bare kernel on as many threads. */
export async function minerFigures(o: SystemSectionOptions, threads: number[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const batch = 256;
  for (const t of threads) {
    const minerRate = async (): Promise<number> => {
      const miner = new MinerThreads({ table: o.table, threads: t, kernel: 'auto', batch });
      try {
        miner.job(1, new Uint8Array(32).fill(7), 1, 0xffffffffffffffffn);
        await new Promise((r) => setTimeout(r, 1200)); // threads load and report once
        miner.job(2, new Uint8Array(32).fill(9), 1, 0xffffffffffffffffn);
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, o.seconds * 1000));
        miner.job(3, new Uint8Array(32).fill(11), 1, 0xffffffffffffffffn); // reports job 2's last hashes
        const elapsed = (performance.now() - t0) / 1000;
        await new Promise((r) => setTimeout(r, 300));
        return (miner.hashesByJob.get(2) ?? 0) / elapsed;
      } finally {
        await miner.stop();
      }
    };
    const samples = await alternate([
      { id: 'miner', measure: minerRate },
      { id: 'kernel', measure: () => kernelOnThreads(o.table, t, o.seconds, batch, MINER_LEN) },
    ], o.rounds);
    figures.push(makeFigure({
      id: `miner/${o.table.bits}/t${t}`,
      section: 'miner',
      label: `prosper-miner threads, ${t} thread${t > 1 ? 's' : ''}, batch ${batch}, ${o.table.bits}-bit table`,
      unit: 'hashes/s',
      samples: samples.get('miner')!,
      reference: { name: `kernel on ${t} thread${t > 1 ? 's' : ''}, 41-byte inputs`, samples: samples.get('kernel')! },
      // The miner hashes oprhash || 9-byte nonce: 41 bytes, a few more lookups than the suite's 40.
      limit: ((o.limitPerCore * lookupsPerHash(LEN)) / lookupsPerHash(MINER_LEN)) * t,
      plot: { chart: `threads-${o.table.bits}`, series: 'prosper-miner', x: t },
    }));
  }
  return figures;
}

/** Seconds to generate a table of `genBits` in memory, and to load the suite's table from the cache. */
export async function tableFigures(o: SystemSectionOptions, genBits: number): Promise<Figure[]> {
  const candidates: Candidate[] = [
    { id: 'gen', measure: async () => { const t0 = performance.now(); generateTableInto(allocSharedTable(genBits), genBits); return (performance.now() - t0) / 1000; } },
  ];
  if (o.table.path) {
    candidates.push({ id: 'load', measure: async () => { const t0 = performance.now(); await loadOrCreateTable({ bits: o.table.bits, dir: o.tableDir }); return (performance.now() - t0) / 1000; } });
  }
  const samples = await alternate(candidates, o.rounds);
  const figures = [makeFigure({ id: `table/gen/${genBits}`, section: 'table', label: `generate the ${genBits}-bit table`, unit: 's', better: 'lower', samples: samples.get('gen')! })];
  if (samples.has('load')) {
    figures.push(makeFigure({ id: `table/load/${o.table.bits}`, section: 'table', label: `load and verify the cached ${o.table.bits}-bit table`, unit: 's', better: 'lower', samples: samples.get('load')! }));
  }
  return figures;
}

/** perf/stratum-load (built into dist/perf) beside this module, or undefined (sources only). */
function stratumLoadScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, '..', '..', '..', 'perf', 'stratum-load.js');
  return existsSync(built) ? built : undefined;
}

/** Stratum shares per second: perf/stratum-load.ts against a real pool process, small and short. */
export async function stratumFigures(o: SystemSectionOptions, sessions: number): Promise<Figure[] | string> {
  const script = stratumLoadScript();
  if (!script) return 'perf/stratum-load.js is not built (npm run build)';
  const seconds = Math.max(1, Math.round(o.seconds * 2));
  const run = async (): Promise<number> => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, '--sessions', String(sessions), '--active', String(Math.min(sessions, 50)),
      '--seconds', String(seconds), '--jobs', '1', '--bits', String(Math.min(o.table.bits, 20))], { maxBuffer: 4 << 20 });
    return (JSON.parse(stdout) as { shares: { perSecond: number } }).shares.perSecond;
  };
  const samples = await alternate([{ id: 'stratum', measure: run }], o.rounds);
  return [makeFigure({ id: `stratum/${sessions}`, section: 'stratum', label: `Stratum shares accepted, ${sessions} sessions (perf/stratum-load)`, unit: 'shares/s', samples: samples.get('stratum')! })];
}
