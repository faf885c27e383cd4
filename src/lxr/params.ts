/** PegNet's LXRHash parameters (pegnet/LXRHash constants.go). */
export const LXR_SEED = 0xfafaececfafaececn;
export const LXR_PASSES = 5;
export const LXR_HASH_BYTES = 32;
export const DEFAULT_MAP_BITS = 30;
export const MIN_MAP_BITS = 8;
export const MAX_MAP_BITS = 30;

/**
 * The table size as every PegNet tool reads it: LXRBITSIZE when it parses (as Go strconv.Atoi does) as an integer in
 * [8, 30], otherwise 30. Pool and miners must agree, or every share fails verification.
 */
export function mapBitsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LXRBITSIZE;
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return DEFAULT_MAP_BITS;
  const bits = Number.parseInt(raw, 10);
  return bits >= MIN_MAP_BITS && bits <= MAX_MAP_BITS ? bits : DEFAULT_MAP_BITS;
}

/** The reference's table file name: lxrhash-seed-<hex>-passes-<p>-size-<bits>.dat */
export function tableFileName(bits: number, seed: bigint = LXR_SEED, passes: number = LXR_PASSES): string {
  return `lxrhash-seed-${seed.toString(16)}-passes-${passes}-size-${bits}.dat`;
}

/** The seed as the (lo, hi) int32 halves the JS kernels take. */
export function seedHalves(seed: bigint = LXR_SEED): { lo: number; hi: number } {
  return { lo: Number(seed & 0xffffffffn) | 0, hi: Number((seed >> 32n) & 0xffffffffn) | 0 };
}
