export * from './params.js';
export * from './pow.js';
export * from './difficulty.js';
export * from './table.js';
export * from './hasher.js';
export { availableKernels, createKernel, defaultKernel, isKernelName, KERNEL_NAMES, type KernelName, type LxrKernel } from './kernels/index.js';
export { loadNativeAddon } from './native-addon.js';
