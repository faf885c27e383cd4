export * from './job-builder.js';
