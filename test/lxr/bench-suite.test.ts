import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compareReports, parseReport } from '../../src/lxr/suite/compare.js';
import type { BenchReport } from '../../src/lxr/suite/report-types.js';
import { isProsperError } from '../../src/errors.js';
import { runBin } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prosper-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// A tiny table and very short samples: the shape of the output is under test, not its figures.
const tiny = ['--quick', '--bits', '12', '--rounds', '2', '--seconds', '0.05', '--threads', '1', '--table-dir', dir, '--log', 'warn'];

function bench(out: string, extra: string[]) {
  return runBin('prosper-pool', ['bench', ...tiny, '--out', out, ...extra]);
}

describe('prosper-pool bench', () => {
  const first = join(dir, 'first');
  it('--quick writes a JSON report, a Markdown report and SVG plots', () => {
    const r = bench(first, ['--only', 'limit,kernels,batch,table']);
    assert.equal(r.status, 0, r.stderr);
    const report = parseReport(readFileSync(join(first, 'bench.json'), 'utf8'), 'bench.json');
    assert.ok(report.machine.cores >= 1 && report.machine.cpuModel.length > 0);
    assert.equal(report.machine.loadAverage.length, 3);
    assert.deepEqual(report.options.bits, [12]);
    assert.equal(report.limits.length, 1);
    const limit = report.limits[0]!;
    assert.equal(limit.lookupsPerHash, 1904);
    for (const c of [limit.huge, limit.noHuge]) assert.ok(c.latencyNs > 0 && c.missesInFlight >= 1 && c.hugeFraction >= 0 && c.hugeFraction <= 1);
    assert.ok(limit.perCore > 0);
    assert.equal(report.kernelChoice[0]!.bits, 12);
    const sections = new Set(report.figures.map((f) => f.section));
    for (const s of ['kernels-12', 'batch-12', 'table']) assert.ok(sections.has(s), `section ${s}`);
    for (const f of report.figures) {
      assert.equal(f.samples.length, 2, f.id);
      assert.equal(f.loadAverages.length, 2, f.id);
      assert.ok(f.value.min <= f.value.median && f.value.median <= f.value.max, f.id);
    }
    // Kernel figures are ratios to the C reference (when the addon is built) and to the limit.
    const kernels = report.figures.filter((f) => f.section === 'kernels-12');
    assert.ok(kernels.length >= 2);
    for (const f of kernels) assert.ok(f.vsLimit && f.vsLimit.median > 0, f.id);
    const md = readFileSync(join(first, 'bench.md'), 'utf8');
    for (const heading of ['# prosper-pool bench', '## Memory limit', '## kernels-12', '## batch-12', '## table', '## Plots']) assert.ok(md.includes(heading), heading);
    for (const svg of ['threads-12.svg', 'batch-12.svg']) {
      const text = readFileSync(join(first, svg), 'utf8');
      assert.match(text, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(text, /<polyline /);
    }
  });

  it('--compare flags a figure that got worse beyond the noise and exits 1', () => {
    const old = JSON.parse(readFileSync(join(first, 'bench.json'), 'utf8')) as BenchReport;
    // Inject a regression: the old run claims ten times the throughput of every kernel figure.
    for (const f of old.figures) {
      if (f.better !== 'higher') continue;
      for (const s of [f.value, ...(f.vsReference ? [f.vsReference] : [])]) { s.median *= 10; s.min *= 10; s.max *= 10; }
    }
    const oldPath = join(dir, 'old.json');
    writeFileSync(oldPath, JSON.stringify(old));
    const second = join(dir, 'second');
    const r = bench(second, ['--only', 'kernels', '--compare', oldPath]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /regression: /);
    const md = readFileSync(join(second, 'bench.md'), 'utf8');
    assert.match(md, /## Compared with/);
    assert.match(md, /\*\*regression\*\*/);
  });

  it('compareReports keeps a change within the noise and flags one beyond it', () => {
    const report = parseReport(readFileSync(join(first, 'bench.json'), 'utf8'), 'bench.json');
    const same = compareReports(report, report);
    assert.ok(same.length === report.figures.length && same.every((c) => !c.regression && c.change === 1));
    const worse = structuredClone(report);
    const f = worse.figures.find((x) => x.better === 'lower')!;
    f.value = { median: f.value.median * 100, min: f.value.median * 100, max: f.value.median * 100 };
    const rows = compareReports(report, worse);
    assert.deepEqual(rows.filter((c) => c.regression).map((c) => c.id), [f.id]);
  });

  it('refuses a --compare file that is not a report, and unknown sections', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"figures": "\u0001"}');
    const r = bench(join(dir, 'third'), ['--only', 'table', '--compare', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /PROSPER_E_BENCH_COMPARE/);
    assert.ok(!existsSync(join(dir, 'third', 'bench.json')), 'nothing measured or written');
    assert.throws(() => parseReport('\xff not json', 'x'), (e: unknown) => isProsperError(e, 'PROSPER_E_BENCH_COMPARE'));
    const only = bench(join(dir, 'fourth'), ['--only', 'kernels,nope']);
    assert.notEqual(only.status, 0);
    assert.match(only.stderr, /sections are limit, kernels/);
  });
});
