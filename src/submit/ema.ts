/** Floor division for bigints (BigInt `/` truncates toward zero; the reference's big.Int.Div floors). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('divisor must be positive');
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/**
 * One step of the exponential moving average of the network minimum target over n blocks:
 * prev + floor(2 (latest - prev) / (n + 1)); the first value is taken as is.
 */
export function nextEma(latest: bigint, previous: bigint, n: number): bigint {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ema-n must be a positive integer, got ${n}`);
  if (previous === 0n) return latest;
  return previous + floorDiv(2n * (latest - previous), BigInt(n + 1));
}
