/**
 * The kernels by name, in a module of their own so the config schema can list them without
 * loading the kernels. nativeK: the C kernel with K lanes in lockstep; nativeKp: the same with
 * each lane's next lookup prefetched (native-bench/lxrhash.h); jsK: the generated TypeScript
 * kernels. `auto` (not listed) picks by table size.
 */
export const KERNEL_NAMES = [
  'native32p', 'native24p', 'native16p', 'native8p', 'native32', 'native24', 'native16', 'native8', 'native4', 'native1',
  'js8', 'js4', 'js2', 'js1',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
