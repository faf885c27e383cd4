// LXRHash kernels x table sizes x batch widths, on one thread (tinybench) and on every core
// (worker threads over the one shared table), with the C reference kernels of native-bench/
// measured in the same run for ratios. Prints Markdown for perf/RESULTS.md.
//   npm run build && node dist/perf/lxr-kernels.bench.js [--bits 20,30] [--seconds 2]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { availableKernels, createHasher, defaultTableDir, loadOrCreateTable, tableFileName } from '../src/lxr/index.js';
import { runKernelBench } from '../src/lxr/bench.js';
import { repoRoot } from '../test/helpers/paths.js';

const { values } = parseArgs({
  options: { bits: { type: 'string', default: '20,30' }, seconds: { type: 'string', default: '2' }, len: { type: 'string', default: '40' } },
});
const seconds = Number(values.seconds);
const len = Number(values.len);
const cores = availableParallelism();
const threadCounts = [...new Set([1, cores])];

function cBench(bits: number, threads: number, lanes: number, huge: boolean): number {
  const dir = join(repoRoot(), 'native-bench');
  execFileSync('make', ['-s', '-C', dir, 'bench'], { stdio: 'ignore' });
  const args = [String(bits), join(defaultTableDir(), tableFileName(bits)), String(seconds), String(threads), String(lanes), String(len)];
  if (huge) args.push('huge');
  return JSON.parse(execFileSync(join(dir, 'bench'), args, { encoding: 'utf8' })).hashesPerSecond as number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

for (const bits of values.bits!.split(',').map(Number)) {
  if (bits >= 30 && !existsSync(join(defaultTableDir(), tableFileName(bits)))) {
    console.log(`\n(skipping ${bits} bits: no cached table; run prosper-pool lxr gen --bits ${bits})`);
    continue;
  }
  const table = await loadOrCreateTable({ bits });
  console.log(`\n### ${bits}-bit table, ${len}-byte inputs, ${seconds}s per figure, ${cores} cores\n`);

  // One thread, in-process: batch widths show what lanes buy.
  const bench = new Bench({ time: seconds * 1000, warmupTime: 200 });
  const widths = [1, 8, 64];
  for (const kernel of availableKernels()) {
    const hasher = createHasher(table, kernel.name);
    for (const width of widths) {
      const src = new Uint8Array(len * width);
      const view = new DataView(src.buffer);
      const out = new Uint8Array(32 * width);
      let n = 0;
      bench.add(`${kernel.name} x${width}`, () => {
        for (let i = 0; i < width; i++) view.setUint32(i * len + len - 4, n++);
        hasher.hashBatch(src, len, width, out);
      });
    }
  }
  await bench.run();
  console.log('| kernel | batch | hashes/s (1 thread) |\n|---|---|---|');
  for (const task of bench.tasks) {
    const width = Number(task.name.split(' x')[1]);
    const hz = (task.result as { throughput?: { mean: number }; hz?: number } | undefined);
    const opsPerSecond = hz?.throughput?.mean ?? hz?.hz ?? 0;
    console.log(`| ${task.name.split(' ')[0]} | ${width} | ${fmt(opsPerSecond * width)} |`);
  }

  // Threads: ours vs C on the same table in the same run.
  const rows: { name: string; threads: number; rate: number }[] = [];
  // Per thread count, C then ours back to back, so machine noise drifts less between them.
  for (const threads of threadCounts) {
    for (const lanes of [1, 8]) rows.push({ name: `C K=${lanes}`, threads, rate: cBench(bits, threads, lanes, false) });
    rows.push({ name: 'C K=8 huge pages', threads, rate: cBench(bits, threads, 8, true) });
    for (const r of await runKernelBench({ table, seconds, len, threads: [threads] })) {
      rows.push({ name: r.kernel, threads: r.threads, rate: r.hashesPerSecond });
    }
  }
  console.log('\n| kernel | threads | hashes/s | per thread | vs best C (same threads) | scaling 1 -> ' + cores + ' |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    const bestC = Math.max(...rows.filter((x) => x.name.startsWith('C') && x.threads === r.threads).map((x) => x.rate));
    const one = rows.find((x) => x.name === r.name && x.threads === 1)!.rate;
    console.log(`| ${r.name} | ${r.threads} | ${fmt(r.rate)} | ${fmt(r.rate / r.threads)} | ${(r.rate / bestC).toFixed(2)}x | ${r.threads > 1 ? (r.rate / one).toFixed(2) + 'x' : ''} |`);
  }
}
