/**
 * Pool difficulty math (the original pool's `difficulty` package; docs/stratum.md
 * section 5). Targets are uint64 bigints where higher is harder;
 * "difficulty" is the float scale relative to a difficulty-1 target.
 */
import { TWO_POW_64, UINT64_MAX } from './pow.js';

/** Difficulty 1 (the seed's PDiff): 65 536 expected hashes per share. */
export const PDIFF = 0xffff000000000000n;
/** The original miner's initial default target (its doc's difficulty 1). */
export const MINER_DEFAULT_TARGET = 0xfffe000000000000n;
/** The window the original sized its hashrate estimates on. */
export const MINING_PERIOD_SECONDS = 480;

const TWO_POW_64_DOUBLE = 18446744073709551616;

function checkU64(name: string, v: bigint): void {
  if (v < 0n || v > UINT64_MAX) throw new RangeError(`${name} must be a uint64, got ${v}`);
}

/**
 * Expected hashes to beat target t (a hash beats t when it is greater): floor(2^64 / (2^64 - t)),
 * at least 1, capped at uint64. The one definition: share credit (docs/verifiable-accounting.md),
 * hashrate estimates and vardiff all use it; a PDiff share is 65 536.
 */
export function expectedHashes(target: bigint): bigint {
  checkU64('target', target);
  const h = TWO_POW_64 / (TWO_POW_64 - target);
  return h > UINT64_MAX ? UINT64_MAX : h < 1n ? 1n : h;
}

/** The target that takes `hashes` expected hashes: floor(M (H - 1) / H). */
export function targetFromHashes(hashes: bigint): bigint {
  if (hashes < 1n) throw new RangeError('hashes must be at least 1');
  return (UINT64_MAX * (hashes - 1n)) / hashes;
}

/** The target a miner of `hashRate` h/s reaches about once per `seconds`. */
export function targetFromHashRate(hashRate: number, seconds: number): bigint {
  const hashes = Math.floor(hashRate * seconds);
  return targetFromHashes(BigInt(Math.max(1, hashes)));
}

/**
 * a / b as the original computed it: the quotient rounded to a 64-bit mantissa (big.Float),
 * then to float64, both to nearest even. a, b > 0.
 */
function quotientAsGoFloat(a: bigint, b: bigint): number {
  // Scale so that the integer quotient has exactly 64 significant bits.
  let shift = 63 - (a.toString(2).length - b.toString(2).length);
  const scaled = (x: bigint, s: number) => (s >= 0 ? x << BigInt(s) : x >> BigInt(-s));
  let q = shift >= 0 ? scaled(a, shift) / b : a / scaled(b, -shift);
  if (q >= 1n << 64n) { shift -= 1; q = shift >= 0 ? scaled(a, shift) / b : a / scaled(b, -shift); }
  if (q < 1n << 63n) { shift += 1; q = shift >= 0 ? scaled(a, shift) / b : a / scaled(b, -shift); }
  // Remainder decides rounding at 64 bits: compare a*2^shift - q*b with b/2.
  const num = shift >= 0 ? a << BigInt(shift) : a;
  const den = shift >= 0 ? b : b << BigInt(-shift);
  const rem2 = 2n * (num - q * den);
  if (rem2 > den || (rem2 === den && (q & 1n) === 1n)) q += 1n;
  return Number(q) * 2 ** -shift;
}

/** Difficulty of target t relative to `one`: ~one / ~t, as a float64. */
export function difficultyFromTarget(target: bigint, one: bigint = PDIFF): number {
  checkU64('target', target);
  checkU64('one', one);
  const notT = UINT64_MAX - target;
  const notOne = UINT64_MAX - one;
  if (notT === 0n) return Number.POSITIVE_INFINITY;
  if (notOne === 0n) return 0;
  return quotientAsGoFloat(notOne, notT);
}

/** The target of difficulty d relative to `one`: ~trunc(~one / d). Round-trips within 1. */
export function targetFromDifficulty(difficulty: number, one: bigint = PDIFF): bigint {
  if (!Number.isFinite(difficulty) || difficulty <= 0) throw new RangeError(`difficulty must be a positive finite number, got ${difficulty}`);
  checkU64('one', one);
  const notOne = UINT64_MAX - one;
  // d as an exact rational m / 2^k, so the quotient is exact before truncation.
  let m = difficulty;
  let k = 0;
  while (!Number.isInteger(m)) { m *= 2; k += 1; }
  const quotient = (notOne << BigInt(k)) / BigInt(m);
  return quotient > UINT64_MAX ? 0n : UINT64_MAX - quotient;
}

/** Network hashes per second implied by `spot` records at or above `minTarget` in `seconds`. */
export function effectiveHashRate(minTarget: bigint, spot: number, seconds: number = MINING_PERIOD_SECONDS): number {
  return (spot * TWO_POW_64_DOUBLE) / (TWO_POW_64_DOUBLE - Number(minTarget)) / seconds;
}

/**
 * The target the `spot`-th best hash of a network of `hashRate` is expected to reach in one
 * mining period: 2^64 (H - spot) / H with H = hashRate * 480, in float64 as the reference.
 * Where H < spot the reference's uint64 conversion was undefined; ours is 0 (admit all).
 */
export function expectedMinimumTarget(hashRate: number, spot: number): bigint {
  const hashes = hashRate * MINING_PERIOD_SECONDS;
  const v = (TWO_POW_64_DOUBLE * (hashes - spot)) / hashes;
  if (!(v > 0)) return 0n;
  if (v >= TWO_POW_64_DOUBLE) return UINT64_MAX;
  return BigInt(Math.trunc(v));
}

/** The minimum target of a graded set whose last kept record (of `spot`) reported `lastTarget`. */
export function minimumTargetFromGraded(lastTarget: bigint, spot: number, cutoff: number): bigint {
  if (spot <= 0) return 0n;
  return expectedMinimumTarget(effectiveHashRate(lastTarget, spot), cutoff);
}
