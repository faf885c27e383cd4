// Spool write cost against spool length: one durable write (then its removal, so the length
// stays put) with 10 and with 10 000 entries already spooled, through the one indexed spool
// (src/util/spool.ts), beside the former design that listed and stat'ed the directory on every
// write. What counts is the ratio in one run: the indexed spool's cost should not grow.
// Prints Markdown for perf/RESULTS.md.
//   npm run build && node dist/perf/spool.bench.js [--seconds 3] [--long 10000]
//   (or node --import tsx perf/spool.bench.ts ...)
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { createFileSpool } from '../src/util/spool.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, long: { type: 'string', default: '10000' } } });
const seconds = Number(values.seconds);
const lengths = [10, Number(values.long)];
const entry = Buffer.alloc(300, 7); // about one spooled batch of a few shares
const fmt = (n: number) => (n * 1000).toFixed(1);

/** A directory holding `n` entries as an earlier run would have left them. */
function prefilled(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-spool-bench-'));
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `${String(i).padStart(15, '0')}-000000000.share`), entry);
  return dir;
}

/** The former accounting spool's bound check: list the directory and stat every file per write. */
function scannedBytes(dir: string): number {
  return readdirSync(dir).filter((f) => f.endsWith('.share')).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

const rows: { name: string; length: number; ms: number }[] = [];
for (const length of lengths) {
  const dir = prefilled(length);
  try {
    const spool = createFileSpool({ dir, maxBytes: 1 << 30, now: () => 9e14, ext: '.share', fullCode: 'PROSPER_E_CLUSTER_SPOOL_FULL', label: 'bench spool' });
    const bench = new Bench({ time: seconds * 1000, warmupTime: 200 });
    bench.add('indexed spool (now)', () => spool.remove(spool.write(entry)));
    bench.add('directory scan per write (before)', () => {
      if (scannedBytes(dir) + entry.length > 1 << 30) throw new Error('full');
      spool.remove(spool.write(entry));
    });
    await bench.run();
    for (const t of bench.tasks) {
      const r = t.result as { latency?: { mean: number } } | undefined;
      rows.push({ name: t.name, length, ms: r?.latency?.mean ?? Number.NaN });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`| spool | write cost at ${lengths[0]} entries (us) | at ${lengths[1]} entries (us) | ratio |`);
console.log('|---|---|---|---|');
for (const name of new Set(rows.map((r) => r.name))) {
  const [short, long] = lengths.map((l) => rows.find((r) => r.name === name && r.length === l)!.ms);
  console.log(`| ${name} | ${fmt(short!)} | ${fmt(long!)} | ${(long! / short!).toFixed(2)}x |`);
}
