import type { OprVersion } from './assets.js';

/**
 * Choosing one price per asset from the prices its sources gave, in fallback order, and turning
 * it into the OPR's integer units. Pure functions; the merge rules of pegnet's price polling.
 */

/**
 * Mean of the prices without the `p` lowest and `p` highest. With fewer than 2p+1 prices it is
 * the first (highest-priority) price. Sorts a copy: the caller's priority order is untouched
 * (the seed sorted in place, which made V5 return the lowest in-band price).
 */
export function trimmedMean(prices: readonly number[], p = 1): number {
  if (prices.length === 0) throw new RangeError('trimmedMean of no prices');
  if (prices.length < 2 * p + 1) return prices[0];
  const sorted = [...prices].sort((a, b) => a - b);
  let sum = 0;
  for (let i = p; i < sorted.length - p; i++) sum += sorted[i];
  return sum / (sorted.length - 2 * p);
}

/**
 * The V5 tolerance band around the trimmed mean: 10% below 1000 USD, 1% from 1000 up. (The
 * seed also wrote a 0.1% rule for >= 100000 that a later line overwrote; miners run the 1%.)
 */
export function toleranceRate(mean: number): number {
  return mean >= 1000 ? 0.01 : 0.1;
}

/**
 * The price for an asset from its non-zero prices in fallback order. V5: the first price, in
 * priority order, inside the tolerance band around the trimmed mean, or the first price when
 * none is. Earlier versions: the first price. Undefined when there is none.
 */
export function selectPrice(version: OprVersion, prices: readonly number[]): number | undefined {
  if (prices.length === 0) return undefined;
  if (version !== 5) return prices[0];
  const mean = trimmedMean(prices, 1);
  const rate = toleranceRate(mean);
  const low = mean * (1 - rate);
  const high = mean * (1 + rate);
  return prices.find((p) => p >= low && p <= high) ?? prices[0];
}

/** Truncation the seed applied before the OPR: 4 decimals for V1, 8 after. */
export function truncatePrice(version: OprVersion, price: number): number {
  const scale = version === 1 ? 1e4 : 1e8;
  return Math.trunc(price * scale) / scale;
}

/** The OPR value: the truncated price in 1e-8 USD units, as uint64 (round(v·1e8) as the reference does). */
export function toPriceUnits(version: OprVersion, price: number): bigint {
  if (!Number.isFinite(price) || price < 0) throw new RangeError(`price ${price} is not a finite non-negative number`);
  const units = BigInt(Math.round(truncatePrice(version, price) * 1e8));
  if (units >= 1n << 64n) throw new RangeError(`price ${price} does not fit in uint64 units`);
  return units;
}
