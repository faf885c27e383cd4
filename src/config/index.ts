export * from './schema.js';
export * from './load.js';
export { exampleConfig } from './example.js';
