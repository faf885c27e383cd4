// Share-validation engine throughput: shares proven per second through the real validator
// (batching, the piscina pool, shared batch buffers, SoftMaxLimit Atomics) against worker
// count and batch size, with the kernel's raw single-thread rate beside it (tinybench), so the
// engine's overhead shows as a ratio. Also the main thread's event-loop delay under that load.
// Prints Markdown for perf/RESULTS.md.
//   npm run build && node dist/perf/validation.bench.js [--bits 20,30] [--seconds 3] [--batches 16,64,256] [--workers 1,2]
//   (or node --import tsx perf/validation.bench.ts ...)
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { runKernelBench } from '../src/lxr/bench.js';
import { createHasher, defaultKernel, defaultTableDir, isKernelName, loadOrCreateTable, tableFileName, type KernelName, type LxrTable } from '../src/lxr/index.js';
import { honestShares } from '../src/lxr/suite/system-sections.js';
import { createShareValidator, type ShareToValidate } from '../src/validation/index.js';

const cores = availableParallelism();
const { values } = parseArgs({
  options: {
    bits: { type: 'string', default: '20,30' },
    seconds: { type: 'string', default: '3' },
    batches: { type: 'string', default: '16,64,256' },
    workers: { type: 'string', default: Array.from({ length: cores }, (_, i) => i + 1).join(',') },
    kernel: { type: 'string', default: 'auto' },
  },
});
const seconds = Number(values.seconds);
const batches = values.batches!.split(',').map(Number);
const workerCounts = values.workers!.split(',').map(Number);
const LEN = 40; // oprhash + 8-byte nonce, as prosper-miner submits
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function singleThreadRate(table: LxrTable, batch: number): Promise<number> {
  const hasher = createHasher(table, values.kernel);
  const src = new Uint8Array(LEN * batch);
  const view = new DataView(src.buffer);
  const out = new Uint8Array(32 * batch);
  let n = 0;
  const bench = new Bench({ time: seconds * 1000, warmupTime: 300 });
  bench.add(`${hasher.kernel.name} x${batch}`, () => {
    for (let i = 0; i < batch; i++) view.setUint32(i * LEN + LEN - 4, n++);
    hasher.hashBatch(src, LEN, batch, out);
  });
  await bench.run();
  const r = bench.tasks[0]!.result as { throughput?: { mean: number }; hz?: number } | undefined;
  return (r?.throughput?.mean ?? r?.hz ?? 0) * batch;
}

/** Keeps the engine saturated for `seconds` and counts verdicts. */
async function engineRate(table: LxrTable, shares: ShareToValidate[], workers: number, batchSize: number) {
  const maxPending = Math.max(4096, 8 * workers * batchSize);
  const validator = createShareValidator({ table, workers, batchSize, batchDelayMs: 1, maxPending, kernel: values.kernel });
  // Few shares beat the threshold, as on a real pool; those that do go through the SoftMaxLimit.
  validator.openJob(1, 0xffc0000000000000n);
  try {
    // Warm up: every worker started and has proven something.
    await Promise.all(shares.slice(0, workers * batchSize * 4).map((s) => validator.validate(s)));
    const eld = monitorEventLoopDelay({ resolution: 1 });
    let done = 0;
    let invalid = 0;
    let outstanding = 0;
    let next = 0;
    let stop = false;
    let finish: () => void = () => {};
    const finished = new Promise<void>((r) => (finish = r));
    const window = maxPending - batchSize;
    const pump = (): void => {
      while (!stop && outstanding < window) {
        outstanding++;
        void validator.validate(shares[next++ % shares.length]!).then((v) => {
          outstanding--;
          done++;
          if (!v.valid) invalid++;
          if (stop && outstanding === 0) finish();
        });
      }
    };
    // Refill from a macrotask, as sockets would, so timers and I/O still get their turn.
    const refill = setInterval(pump, 0);
    eld.enable();
    const elu0 = perf.eventLoopUtilization();
    const t0 = performance.now();
    pump();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const counted = done;
    const elapsed = (performance.now() - t0) / 1000;
    // Main-thread time spent per share (engine and this load generator), from event-loop utilisation.
    const mainUsPerShare = (perf.eventLoopUtilization(elu0).active * 1000) / counted;
    stop = true;
    clearInterval(refill);
    eld.disable();
    if (outstanding > 0) await finished;
    return { rate: counted / elapsed, p99ms: eld.percentile(99) / 1e6, invalid, mainUsPerShare };
  } finally {
    await validator.close();
  }
}

for (const bits of values.bits!.split(',').map(Number)) {
  if (bits >= 30 && !existsSync(join(defaultTableDir(), tableFileName(bits)))) {
    console.log(`\n(skipping ${bits} bits: no cached table; run prosper-pool lxr gen --bits ${bits})`);
    continue;
  }
  const table = await loadOrCreateTable({ bits });
  const shares = honestShares(table, 1 << 15, values.kernel);
  console.log(`\n### Validation engine, ${bits}-bit table, ${LEN}-byte inputs, ${seconds}s per figure, ${cores} cores, kernel ${values.kernel}\n`);
  const single = new Map<number, number>();
  for (const b of batches) single.set(b, await singleThreadRate(table, b));
  const kernelName: KernelName = isKernelName(values.kernel!) ? values.kernel : defaultKernel(bits).name;
  console.log('| workers | batch | engine shares/s | raw kernel, 1 thread (same batch) | engine / (workers x raw) | engine / (cores x raw) | raw kernel on `workers` threads, same run | engine / that | event-loop p99 ms | main thread µs/share |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const w of workerCounts) {
    for (const b of batches) {
      const raw = single.get(b)!;
      const r = await engineRate(table, shares, w, b);
      if (r.invalid > 0) throw new Error(`${r.invalid} shares were not valid: the engine disagrees with the kernel`);
      // The bare kernel on as many threads, measured right after, under the same machine load.
      const [threaded] = await runKernelBench({ table, seconds, len: LEN, threads: [w], kernels: [kernelName], batch: b });
      const t = threaded!.hashesPerSecond;
      console.log(
        `| ${w} | ${b} | ${fmt(r.rate)} | ${fmt(raw)} | ${(r.rate / (w * raw)).toFixed(2)}x | ${(r.rate / (cores * raw)).toFixed(2)}x | ${fmt(t)} | ${(r.rate / t).toFixed(2)}x | ${r.p99ms.toFixed(1)} | ${r.mainUsPerShare.toFixed(2)} |`,
      );
    }
  }
}
