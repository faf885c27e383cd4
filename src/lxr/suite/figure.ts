import type { Figure } from './report-types.js';
import { roundRatios, spreadOf, type Samples } from './stats.js';

export interface FigureSpec {
  id: string;
  section: string;
  label: string;
  unit: string;
  better?: 'higher' | 'lower';
  samples: Samples;
  /** The figure it is a ratio to, measured in the same rounds. */
  reference?: { name: string; samples: Samples };
  /** The memory limit for this figure (same unit), when it has one. */
  limit?: number;
  plot?: Figure['plot'];
}

/** A Figure from its samples: median and range of the value and of its per-round ratios. */
export function makeFigure(spec: FigureSpec): Figure {
  const f: Figure = {
    id: spec.id,
    section: spec.section,
    label: spec.label,
    unit: spec.unit,
    better: spec.better ?? 'higher',
    value: spreadOf(spec.samples.values),
    samples: spec.samples.values.map((v) => +v.toPrecision(6)),
    loadAverages: spec.samples.loads,
  };
  if (spec.reference) {
    f.reference = spec.reference.name;
    f.vsReference = spreadOf(roundRatios(spec.samples.values, spec.reference.samples.values));
  }
  if (spec.limit !== undefined && spec.limit > 0) f.vsLimit = spreadOf(spec.samples.values.map((v) => v / spec.limit!));
  if (spec.plot) f.plot = spec.plot;
  return f;
}
