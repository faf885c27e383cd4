import { readFileSync } from 'node:fs';
import { loadNativeAddon } from '../native-addon.js';
import { LXR_HASH_BYTES, LXR_SEED, seedHalves } from '../params.js';
import { KERNEL_NAMES, type KernelName } from '../kernel-names.js';
import { hashLanes1 } from './js-k1.generated.js';
import { hashLanes2 } from './js-k2.generated.js';
import { hashLanes4 } from './js-k4.generated.js';
import { hashLanes8 } from './js-k8.generated.js';

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

export { KERNEL_NAMES, type KernelName };

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

function nativeKernel(name: KernelName, lanes: number, prefetch: boolean, seed: bigint): LxrKernel | null {
  const addon = loadNativeAddon();
  if (!addon) return null;
  return {
    name,
    lanes,
    hashBatch(T, bits, src, len, count, out) {
      checkArgs(T, bits, src, len, count, out);
      addon.hashBatch(T, bits, seed, src, len, count, out, lanes, prefetch);
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
  const lanes = Number(/\d+/.exec(name)![0]);
  if (name.startsWith('native')) return nativeKernel(name, lanes, name.endsWith('p'), seed);
  return jsKernel(name, lanes, JS_LANES[lanes]!, seed);
}

const JS_LANES: Record<number, LaneFn> = { 1: hashLanes1, 2: hashLanes2, 4: hashLanes4, 8: hashLanes8 };

/** Kernels that can run on this machine. */
export function availableKernels(seed: bigint = LXR_SEED): LxrKernel[] {
  return KERNEL_NAMES.map((n) => createKernel(n, seed)).filter((k): k is LxrKernel => k !== null);
}

/**
 * The kernel 'auto' picks for a table of 2^bits bytes, from the lane experiment of
 * `prosper-pool bench --only lanes` (perf/RESULTS.md, "Kernel choice"): a table that fits in a
 * core's L2 cache is compute-bound, where 16 lockstep lanes are fastest and prefetch
 * instructions only cost; a larger table is bound by the misses a core keeps in flight, where 32
 * prefetching lanes reach the measured memory limit (24 do as well, but 32 divides the miner's
 * and the validator's power-of-two batches).
 */
export function autoKernelName(bits: number, native: boolean): KernelName {
  if (!native) return AUTO_JS;
  return 2 ** bits <= l2CacheBytes() ? AUTO_CACHED : AUTO_MEMORY;
}
const AUTO_CACHED: KernelName = 'native16';
const AUTO_MEMORY: KernelName = 'native32p';
/** js8 measured far slower than js4 (V8 gives up on the 8-lane body), so the fallback stays at 4 lanes. */
const AUTO_JS: KernelName = 'js4';

let l2: number | undefined;
/** One core's L2 cache in bytes (Linux sysfs), or 1 MiB where the system does not say. */
export function l2CacheBytes(): number {
  if (l2 !== undefined) return l2;
  l2 = 1 << 20;
  try {
    const text = readFileSync('/sys/devices/system/cpu/cpu0/cache/index2/size', 'utf8').trim();
    const m = /^(\d+)([KMG]?)$/.exec(text);
    if (m) l2 = Number(m[1]) * (m[2] === 'K' ? 1024 : m[2] === 'M' ? 1 << 20 : m[2] === 'G' ? 1 << 30 : 1);
  } catch {
    // not Linux, or no cache information: keep the default
  }
  return l2;
}

/** Why autoKernelName picks what it picks (printed in the bench report). */
export function autoKernelReason(bits: number, native: boolean): string {
  if (!native) return 'no native addon: js4, the TypeScript kernel that measured fastest (js8 is slower: V8 stops optimizing it)';
  const cache = `${(l2CacheBytes() / 2 ** 20).toFixed(1)} MiB L2`;
  return 2 ** bits <= l2CacheBytes()
    ? `the 2^${bits}-byte table fits this core's ${cache}: compute-bound, where 16 lockstep lanes measured fastest`
    : `the 2^${bits}-byte table is larger than this core's ${cache}: bound by misses in flight, where 32 prefetching lanes measured fastest (at the memory limit)`;
}

/** The default kernel for a table of 2^bits bytes (30: the PegNet table). */
export function defaultKernel(bits = 30, seed: bigint = LXR_SEED): LxrKernel {
  const native = loadNativeAddon() !== null;
  return createKernel(autoKernelName(bits, native), seed) ?? createKernel(AUTO_JS, seed)!;
}

export function isKernelName(name: string): name is KernelName {
  return (KERNEL_NAMES as readonly string[]).includes(name);
}
