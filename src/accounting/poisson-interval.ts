/**
 * The exact (Garwood) confidence interval for the mean of a Poisson count, from the quantiles of
 * the Gamma distribution (chi-square / 2): for k observed events the two-sided interval is
 * [Gamma⁻¹(α/2; k), Gamma⁻¹(1-α/2; k+1)], with 0 as the lower end when k = 0. Exact, not the
 * normal approximation, so it holds for 0, 3 or 3 000 shares alike.
 *
 * Written here (Lanczos log-gamma, series and continued fraction for the regularized incomplete
 * gamma, safeguarded Newton for its inverse) rather than taken from npm: the maintained packages
 * that offer a gamma quantile are large trees of modules for a few dozen lines used in one place.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const EPS = 1e-15;
const MAX_TERMS = 100_000;

/** The regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), for a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: P = e^{-x} x^a / Γ(a+1) Σ x^n / ((a+1)…(a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q = 1 - P (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix) * h);
}

/** Standard normal quantile (Acklam's rational approximation): only a starting point below. */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The x with P(a, x) = p (the Gamma(shape a, scale 1) quantile), for a > 0 and 0 < p < 1. */
export function gammaQuantile(p: number, a: number): number {
  if (!(a > 0) || !(p > 0 && p < 1)) throw new RangeError(`gammaQuantile needs a > 0 and 0 < p < 1 (a=${a}, p=${p})`);
  // Wilson-Hilferty start, then Newton steps kept inside a shrinking bracket (bisection when a
  // step would leave it), so it converges for tiny and huge shapes alike.
  const z = normalQuantile(p);
  const w = 1 / (9 * a);
  let x = Math.max(1e-300, a * Math.pow(1 - w + z * Math.sqrt(w), 3));
  if (!Number.isFinite(x) || x <= 0) x = Math.pow(p * Math.exp(logGamma(a + 1)), 1 / a);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    const f = regularizedGammaP(a, x) - p;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) - x - logGamma(a));
    let next = density > 0 ? x - f / density : Number.NaN;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * x, 1);
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, x)) return next;
    x = next;
  }
  return x;
}

export interface CountInterval {
  low: number;
  high: number;
}

/** The exact two-sided interval (default 95 %) for the mean of a Poisson variable observed as k. */
export function poissonInterval(k: number, confidence = 0.95): CountInterval {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`a Poisson count is a whole number >= 0, not ${k}`);
  const alpha = 1 - confidence;
  return {
    low: k === 0 ? 0 : gammaQuantile(alpha / 2, k),
    high: gammaQuantile(1 - alpha / 2, k + 1),
  };
}
