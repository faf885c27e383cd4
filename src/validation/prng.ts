/**
 * A small seeded PRNG (sfc32) for reproducible simulations and tests; `random()` has the
 * shape of the injected `random: () => number` used across the code base.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  random(): number;
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform 64-bit unsigned integer. */
  u64(): bigint;
}

export function seededRandom(seed: number): SeededRandom {
  let a = 0x9e3779b9 | 0;
  let b = 0x243f6a88 | 0;
  let c = 0xb7e15162 | 0;
  let d = seed | 0;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so that nearby seeds give unrelated streams.
  for (let i = 0; i < 15; i++) u32();
  return {
    u32,
    random: () => u32() / 4294967296,
    u64: () => (BigInt(u32()) << 32n) | BigInt(u32()),
  };
}
