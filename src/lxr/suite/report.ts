import { lineChartSvg, type ChartSeries } from './svg.js';
import type { BenchReport, Figure } from './report-types.js';
import type { Spread } from './stats.js';

const fmt = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const ratio = (s: Spread | undefined): string => (s ? `${s.median.toFixed(2)}x (${s.min.toFixed(2)}-${s.max.toFixed(2)})` : '');
const loads = (f: Figure): string => {
  const l = f.loadAverages;
  return l.length ? `${Math.min(...l).toFixed(1)}-${Math.max(...l).toFixed(1)}` : '';
};

/** Charts of the report: chart key -> series, from the figures' plot coordinates. */
export function chartsOf(report: BenchReport): Map<string, ChartSeries[]> {
  const charts = new Map<string, Map<string, ChartSeries>>();
  for (const f of report.figures) {
    if (!f.plot) continue;
    const chart = charts.get(f.plot.chart) ?? new Map<string, ChartSeries>();
    charts.set(f.plot.chart, chart);
    const s = chart.get(f.plot.series) ?? { name: f.plot.series, points: [] };
    chart.set(f.plot.series, s);
    s.points.push({ x: f.plot.x, y: f.value.median, lo: f.value.min, hi: f.value.max });
  }
  return new Map([...charts].map(([k, v]) => [k, [...v.values()]]));
}

/** Standalone SVG per chart: file name -> content. */
export function chartSvgs(report: BenchReport): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, series] of chartsOf(report)) {
    const [kind, bits] = key.split('-');
    const x = kind === 'threads' ? 'threads' : 'batch size (inputs per kernel call, log scale)';
    const unit = report.figures.find((f) => f.plot?.chart === key)?.unit ?? 'hashes/s';
    out.set(`${key}.svg`, lineChartSvg(`${kind === 'threads' ? 'Throughput vs threads' : 'Throughput vs batch size'}, ${bits}-bit table`, x, `${unit} (median, range)`, series));
  }
  return out;
}

/** The Markdown report: machine, memory limit, kernel choice, then one table per section. */
export function reportMarkdown(report: BenchReport, svgNames: string[] = []): string {
  const m = report.machine;
  const lines: string[] = [
    '# prosper-pool bench',
    '',
    `Command: \`${report.command}\` (${report.elapsedSeconds.toFixed(0)} s).`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, transparent huge pages \`${m.transparentHugePages}\`, ${m.node} on ${m.platform}, load average ${m.loadAverage.join(' / ')} at the start, ${m.date}.`,
    '',
    `Kernel figures are per second of ${report.options.clock === 'cpu' ? "the hashing threads' CPU time (a core's rate while scheduled; time descheduled by other jobs does not count), so their limit is the per-core limit" : 'wall time, so their limit is the per-core limit x threads'}. Every figure is the median over ${report.options.rounds} alternating rounds (candidates rotated each round), with its range; a ratio is taken within each round, then summarized the same way. "load" is the one-minute load average seen across the samples.`,
    '',
    '## Memory limit',
    '',
    '| table | buffer | huge pages obtained | latency | misses in flight | lookups per hash | limit per core |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const l of report.limits) {
    for (const c of [l.huge, l.noHuge]) {
      lines.push(`| ${l.bits} bits | ${c.bufferMiB} MiB, ${c.hugeAdvice} | ${(c.hugeFraction * 100).toFixed(0)} % | ${c.latencyNs.toFixed(0)} ns | ${c.missesInFlight.toFixed(1)} (at ${c.atChains} chains) | ${l.lookupsPerHash} | ${fmt(c.missesInFlight / (l.lookupsPerHash * c.latencyNs * 1e-9))} hashes/s |`);
    }
  }
  lines.push('', 'The limit used for the ratios below is the huge-page row (the kernels advise their table to huge pages): misses in flight / (lookups per hash x latency), docs/lxrhash.md 3.3.', '');
  if (report.kernelChoice.length) {
    lines.push('## Kernel choice (`auto`)', '');
    for (const c of report.kernelChoice) lines.push(`- ${c.bits} bits: \`${c.kernel}\`: ${c.reason}`);
    lines.push('');
  }
  const sections = [...new Set(report.figures.map((f) => f.section))];
  for (const section of sections) {
    lines.push(`## ${section}`, '', '| figure | median | range | vs reference | reference | vs limit | load |', '|---|---|---|---|---|---|---|');
    for (const f of report.figures.filter((x) => x.section === section)) {
      lines.push(`| ${f.label} | ${fmt(f.value.median)} ${f.unit} | ${fmt(f.value.min)}-${fmt(f.value.max)} | ${ratio(f.vsReference)} | ${f.reference ?? ''} | ${ratio(f.vsLimit)} | ${loads(f)} |`);
    }
    lines.push('');
  }
  if (report.skipped.length) {
    lines.push('## Skipped', '');
    for (const s of report.skipped) lines.push(`- ${s.section}: ${s.reason}`);
    lines.push('');
  }
  if (svgNames.length) lines.push('## Plots', '', ...svgNames.map((n) => `![${n}](${n})`), '');
  return lines.join('\n');
}
