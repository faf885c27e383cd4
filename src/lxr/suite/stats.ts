import { loadavg } from 'node:os';

/** Median and range of repeated measurements of one figure. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN };
  const s = [...samples].sort((x, y) => x - y);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/** The one-minute load average now (recorded beside every sample). */
export const loadNow = (): number => +loadavg()[0]!.toFixed(2);

/** One candidate measured once per round: returns its figure (higher or lower is better per figure). */
export interface Candidate {
  id: string;
  measure: () => Promise<number>;
}

export interface Samples {
  values: number[];
  loads: number[];
}

/**
 * Measures every candidate once per round, `rounds` times, rotating the order each round so that
 * no candidate always runs first or last: machine noise drifts across all of them alike, and a
 * ratio taken within one round compares figures measured side by side.
 */
export async function alternate(candidates: readonly Candidate[], rounds: number): Promise<Map<string, Samples>> {
  const out = new Map<string, Samples>(candidates.map((c) => [c.id, { values: [], loads: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[(i + r) % candidates.length]!;
      const value = await c.measure();
      const s = out.get(c.id)!;
      s.values.push(value);
      s.loads.push(loadNow());
    }
  }
  return out;
}

/** Per-round ratios a[i] / b[i] (pairs measured in the same round). */
export function roundRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / b[i]!).filter((x) => Number.isFinite(x));
}
