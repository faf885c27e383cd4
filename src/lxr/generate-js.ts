import { LXR_PASSES, LXR_SEED } from './params.js';

const PROGRESS_EVERY = 1 << 20;

/**
 * The reference table generator in pure TypeScript (docs/lxrhash.md section 2), the
 * fallback when the native addon is not built. The PRNG state is three uint64 kept as int32
 * halves; every step reads the half-shuffled table, so the chain is serial.
 * `onProgress(done, total)` is called every 2^20 steps.
 */
export function generateTableJs(
  T: Uint8Array,
  bits: number,
  seed: bigint = LXR_SEED,
  passes: number = LXR_PASSES,
  onProgress?: (done: number, total: number) => void,
): void {
  const N = 2 ** bits;
  if (T.length !== N) throw new RangeError(`table must be ${N} bytes, got ${T.length}`);
  const M = N - 1;
  for (let i = 0; i < N; i++) T[i] = i & 0xff;
  const off0 = seed ^ 0x221f200af9bb87f0n;
  const b0 = seed ^ 0x4046845bfc19f141n;
  let offL = Number(off0 & 0xffffffffn) | 0, offH = Number(off0 >> 32n) | 0;
  let bL = Number(b0 & 0xffffffffn) | 0, bH = Number(b0 >> 32n) | 0;
  let vL = 0x0b072c07 | 0, vH = 0x30e5d417 | 0;
  const total = N * passes;
  let done = 0;
  for (let p = 0; p < passes; p++) {
    for (let start = 0; start < N; start += PROGRESS_EVERY) {
     const end = Math.min(start + PROGRESS_EVERY, N);
     for (let i = start; i < end; i++) {
      // off = off<<9 ^ off>>1 ^ off>>7 ^ b
      const oL = (offL << 9) ^ (offL >>> 1 | offH << 31) ^ (offL >>> 7 | offH << 25) ^ bL;
      const oH = (offH << 9 | offL >>> 23) ^ (offH >>> 1) ^ (offH >>> 7) ^ bH;
      offL = oL; offH = oH;
      // v = B(off ^ b) ^ v<<8 ^ v>>1
      const t = T[(offL ^ bL) & M];
      const nvL = t ^ (vL << 8) ^ (vL >>> 1 | vH << 31);
      const nvH = (vH << 8 | vL >>> 24) ^ (vH >>> 1);
      vL = nvL; vH = nvH;
      // b = v<<7 ^ v<<13 ^ v<<33 ^ v<<52 ^ b<<9 ^ b>>1
      const nbL = (vL << 7) ^ (vL << 13) ^ (bL << 9) ^ (bL >>> 1 | bH << 31);
      const nbH = (vH << 7 | vL >>> 25) ^ (vH << 13 | vL >>> 19) ^ (vL << 1) ^ (vL << 20) ^ (bH << 9 | bL >>> 23) ^ (bH >>> 1);
      bL = nbL; bH = nbH;
      const j = offL & M;
      const x = T[i];
      T[i] = T[j];
      T[j] = x;
     }
     done += end - start;
     if (onProgress) onProgress(done, total);
    }
  }
}
