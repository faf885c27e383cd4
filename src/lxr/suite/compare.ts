import { ProsperError } from '../../errors.js';
import type { BenchReport, Figure } from './report-types.js';
import type { Spread } from './stats.js';

export interface Comparison {
  id: string;
  label: string;
  /** What was compared: the ratio to the figure's reference when both runs have one (steadier on a shared machine), else the value. */
  measure: 'vsReference' | 'value';
  old: number;
  new: number;
  /** new / old. */
  change: number;
  /** The relative noise allowed: half the wider relative range of the two runs, at least MIN_NOISE. */
  noise: number;
  regression: boolean;
}

/** Below this relative change a difference is never called a regression. */
export const MIN_NOISE = 0.05;

const halfRange = (s: Spread): number => (s.median > 0 ? (s.max - s.min) / s.median / 2 : 0);

function compareFigure(o: Figure, n: Figure): Comparison {
  const useRatio = o.vsReference !== undefined && n.vsReference !== undefined;
  const a = useRatio ? o.vsReference! : o.value;
  const b = useRatio ? n.vsReference! : n.value;
  const noise = Math.max(MIN_NOISE, halfRange(a), halfRange(b));
  const change = b.median / a.median;
  const worse = n.better === 'lower' && !useRatio ? change > 1 + noise : change < 1 - noise;
  return { id: n.id, label: n.label, measure: useRatio ? 'vsReference' : 'value', old: a.median, new: b.median, change, noise, regression: worse };
}

/** Figures present in both reports, compared; regressions are those worse by more than the noise. */
export function compareReports(old: BenchReport, now: BenchReport): Comparison[] {
  const before = new Map(old.figures.map((f) => [f.id, f]));
  return now.figures.filter((f) => before.has(f.id)).map((f) => compareFigure(before.get(f.id)!, f));
}

/** A report read back from JSON, checked enough to compare against. */
export function parseReport(text: string, source: string): BenchReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ProsperError('PROSPER_E_BENCH_COMPARE', `${source} is not JSON`, { cause: err });
  }
  const r = data as Partial<BenchReport>;
  if (r?.version !== 1 || !Array.isArray(r.figures) || !r.figures.every((f) => typeof f?.id === 'string' && typeof f?.value?.median === 'number')) {
    throw new ProsperError('PROSPER_E_BENCH_COMPARE', `${source} is not a prosper-pool bench report (version 1)`);
  }
  return r as BenchReport;
}

export function comparisonMarkdown(rows: Comparison[], oldSource: string): string {
  const lines = [`## Compared with ${oldSource}`, '', '| figure | measure | before | now | change | noise | verdict |', '|---|---|---|---|---|---|---|'];
  for (const c of rows) {
    lines.push(`| ${c.label} | ${c.measure} | ${c.old.toPrecision(4)} | ${c.new.toPrecision(4)} | ${((c.change - 1) * 100).toFixed(1)} % | ±${(c.noise * 100).toFixed(0)} % | ${c.regression ? '**regression**' : 'within noise or better'} |`);
  }
  return lines.join('\n') + '\n';
}
