/** A small seeded PRNG (splitmix64) so property tests are reproducible from their seed. */
export function prng(seed: bigint) {
  let s = BigInt.asUintN(64, seed);
  const next64 = (): bigint => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  return {
    next64,
    /** Uniform-ish in [0, n). */
    below(n: bigint): bigint {
      return n <= 0n ? 0n : next64() % n;
    },
    int(n: number): number {
      return Number(next64() % BigInt(n));
    },
  };
}
