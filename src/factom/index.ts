/** The Factom layer: codecs (entries, commits, blocks, addresses, keys) and the factomd v2 client. */
export * from './errors.js';
export * from './bytes.js';
export * from './base58.js';
export * from './keys.js';
export * from './addresses.js';
export * from './entry.js';
export * from './commit.js';
export * from './merkle.js';
export * from './eblock.js';
export * from './dblock.js';
export * from './json-bigint.js';
export * from './factoid-tx.js';
export * from './client-types.js';
export * from './rpc-error.js';
export { rpcCall, type RpcTransportOptions } from './transport.js';
export { FactomdClient, type FactomdClientOptions } from './client.js';
