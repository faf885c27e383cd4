export * from './ema.js';
export * from './gate.js';
export * from './minute-guard.js';
export * from './opr-entry.js';
export * from './entry-writer.js';
export { JobSoftMax } from './job-softmax.js';
