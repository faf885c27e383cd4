import { loadNativeAddon } from '../native-addon.js';
import { LXR_HASH_BYTES, LXR_SEED, seedHalves } from '../params.js';
import { hashLanes1 } from './js-k1.generated.js';
import { hashLanes2 } from './js-k2.generated.js';
import { hashLanes4 } from './js-k4.generated.js';

/**
 * A kernel hashes `count` inputs of `len` bytes each (concatenated in `src`) into 32 bytes
 * each in `out`, against table `T` of 2^bits bytes. Inputs in one call share one length,
 * which is what lets lanes run in lockstep.
 */
export interface LxrKernel {
  readonly name: KernelName;
  readonly lanes: number;
  hashBatch(T: Uint8Array, bits: number, src: Uint8Array, len: number, count: number, out: Uint8Array): void;
}

export const KERNEL_NAMES = ['native8', 'native4', 'native1', 'js4', 'js2', 'js1'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

type LaneFn = typeof hashLanes1;

function jsKernel(name: KernelName, lanes: number, lanesFn: LaneFn, seed: bigint): LxrKernel {
  const { lo, hi } = seedHalves(seed);
  const hs = new Int32Array(64 * lanes);
  const hs1 = new Int32Array(64);
  return {
    name,
    lanes,
    hashBatch(T, bits, src, len, count, out) {
      checkArgs(T, bits, src, len, count, out);
      const M = 2 ** bits - 1;
      let n = 0;
      for (; n + lanes <= count; n += lanes) lanesFn(T, M, lo, hi, src, n * len, len, out, n * LXR_HASH_BYTES, hs);
      for (; n < count; n++) hashLanes1(T, M, lo, hi, src, n * len, len, out, n * LXR_HASH_BYTES, hs1);
    },
  };
}

function nativeKernel(name: KernelName, lanes: number, seed: bigint): LxrKernel | null {
  const addon = loadNativeAddon();
  if (!addon) return null;
  return {
    name,
    lanes,
    hashBatch(T, bits, src, len, count, out) {
      checkArgs(T, bits, src, len, count, out);
      addon.hashBatch(T, bits, seed, src, len, count, out, lanes);
    },
  };
}

function checkArgs(T: Uint8Array, bits: number, src: Uint8Array, len: number, count: number, out: Uint8Array): void {
  if (T.length !== 2 ** bits) throw new RangeError(`table has ${T.length} bytes, expected 2^${bits}`);
  if (len * count > src.length) throw new RangeError('src is shorter than len * count');
  if (LXR_HASH_BYTES * count > out.length) throw new RangeError('out is shorter than 32 * count');
}

/** The kernel of that name, or null when it cannot run here (native addon not built). */
export function createKernel(name: KernelName, seed: bigint = LXR_SEED): LxrKernel | null {
  switch (name) {
    case 'native8': return nativeKernel(name, 8, seed);
    case 'native4': return nativeKernel(name, 4, seed);
    case 'native1': return nativeKernel(name, 1, seed);
    case 'js4': return jsKernel(name, 4, hashLanes4, seed);
    case 'js2': return jsKernel(name, 2, hashLanes2, seed);
    case 'js1': return jsKernel(name, 1, hashLanes1, seed);
  }
}

/** Kernels that can run on this machine, fastest first (perf/RESULTS.md has the figures). */
export function availableKernels(seed: bigint = LXR_SEED): LxrKernel[] {
  return KERNEL_NAMES.map((n) => createKernel(n, seed)).filter((k): k is LxrKernel => k !== null);
}

/** The default: the native K=8 kernel where it was built, else JS K=4. */
export function defaultKernel(seed: bigint = LXR_SEED): LxrKernel {
  return availableKernels(seed)[0]!;
}

export function isKernelName(name: string): name is KernelName {
  return (KERNEL_NAMES as readonly string[]).includes(name);
}
