import { ProsperError } from '../errors.js';
import { createKernel, defaultKernel, isKernelName, type KernelName, type LxrKernel } from './kernels/index.js';
import { LXR_HASH_BYTES } from './params.js';
import type { LxrTable } from './table.js';

/** Hashes inputs against one table with one kernel. Cheap to create; one per thread. */
export interface LxrHasher {
  readonly table: LxrTable;
  readonly kernel: LxrKernel;
  /** LXRHash of one input (32 bytes). */
  hash(input: Uint8Array): Uint8Array;
  /** Hashes of `count` equal-length inputs concatenated in `src`, 32 bytes each, in order. */
  hashBatch(src: Uint8Array, len: number, count: number, out?: Uint8Array): Uint8Array;
  /** Hashes of any inputs: grouped by length so equal lengths share lanes. */
  hashMany(inputs: readonly Uint8Array[]): Uint8Array[];
}

export function createHasher(table: LxrTable, kernelName?: KernelName | string): LxrHasher {
  let kernel: LxrKernel;
  if (kernelName === undefined || kernelName === 'auto') {
    kernel = defaultKernel(table.bits);
  } else {
    if (!isKernelName(kernelName)) throw new ProsperError('PROSPER_E_LXR_KERNEL', `unknown LXRHash kernel '${kernelName}'`);
    const k = createKernel(kernelName);
    if (!k) throw new ProsperError('PROSPER_E_LXR_KERNEL', `LXRHash kernel '${kernelName}' is not available here (native addon not built?)`);
    kernel = k;
  }
  const { bytes: T, bits } = table;
  const hashBatch = (src: Uint8Array, len: number, count: number, out = new Uint8Array(LXR_HASH_BYTES * count)): Uint8Array => {
    kernel.hashBatch(T, bits, src, len, count, out);
    return out;
  };
  return {
    table,
    kernel,
    hash: (input) => hashBatch(input, input.length, 1),
    hashBatch,
    hashMany(inputs) {
      const result: Uint8Array[] = new Array(inputs.length);
      const byLength = new Map<number, number[]>();
      inputs.forEach((input, i) => {
        const group = byLength.get(input.length);
        if (group) group.push(i);
        else byLength.set(input.length, [i]);
      });
      for (const [len, indexes] of byLength) {
        const src = new Uint8Array(len * indexes.length);
        indexes.forEach((i, n) => src.set(inputs[i]!, n * len));
        const out = hashBatch(src, len, indexes.length);
        indexes.forEach((i, n) => (result[i] = out.subarray(n * LXR_HASH_BYTES, (n + 1) * LXR_HASH_BYTES)));
      }
      return result;
    },
  };
}
