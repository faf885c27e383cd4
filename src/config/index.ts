export * from './schema.js';
export * from './load.js';
export { exampleConfig, tomlValue } from './example.js';
