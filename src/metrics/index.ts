export { createPoolMetrics, METRIC_NAMES, type PoolMetrics, type PoolMetricsOptions, type ShareResult, type SubmissionOutcome } from './pool-metrics.js';
