/** The benchmark suite's sections, in the order they run (`prosper-pool bench --only`). No imports: the CLI reads it at start-up. */
export const SUITE_SECTIONS = ['limit', 'kernels', 'lanes', 'batch', 'validation', 'miner', 'table', 'stratum'] as const;
export type SuiteSection = (typeof SUITE_SECTIONS)[number];
